import { describe, expect, it } from 'vitest';
import { BEDROCK_PERMISSIONS, iamPolicyJson, trustPolicyJson } from '../../portal/src/features/endpoints/iam-policy.js';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

const actions = (statement: Statement) => [statement.Action].flat();

describe('iamPolicyJson', () => {
  const policy = JSON.parse(iamPolicyJson()) as { Version: string; Statement: Statement[] };

  it('is a valid policy document allowing every listed action', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.every((statement) => statement.Effect === 'Allow')).toBe(true);
    expect(policy.Statement.flatMap(actions).sort()).toEqual(BEDROCK_PERMISSIONS.flatMap((permission) => permission.actions).sort());
  });

  it('grants inference and discovery, which are required, and quota listing as optional', () => {
    const required = BEDROCK_PERMISSIONS.filter((permission) => permission.required).flatMap((permission) => permission.actions);
    expect(required).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:ListInferenceProfiles']);
    expect(BEDROCK_PERMISSIONS.find((permission) => permission.actions.includes('servicequotas:ListServiceQuotas'))?.required).toBe(false);
  });

  it('limits invocation to Anthropic models and inference profiles, in any region', () => {
    const inference = policy.Statement.find((statement) => actions(statement).includes('bedrock:InvokeModel'))!;
    expect(inference.Resource).toEqual(['arn:aws:bedrock:*::foundation-model/anthropic.*', 'arn:aws:bedrock:*:*:inference-profile/*']);
  });
});

describe('trustPolicyJson', () => {
  it('lets only the named principal assume the role, and only with the external id', () => {
    const trust = JSON.parse(trustPolicyJson('arn:aws:iam::111122223333:role/gateway', 'ext-1')) as { Statement: [Record<string, unknown>] };
    expect(trust.Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/gateway' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } },
    });
  });
});
