/**
 * The AWS permissions a Bedrock endpoint's credentials need, and the IAM policy that grants them,
 * built from one list so the page's table and the copyable JSON cannot disagree. Pure:
 * test/portal/iam-policy.test.ts.
 */

export interface BedrockPermission {
  readonly actions: readonly string[];
  readonly purpose: string;
  readonly required: boolean;
  /** Statement id in the policy. */
  readonly sid: string;
  readonly resources: readonly string[];
}

/**
 * Invocation is limited to Anthropic models and inference profiles; `*` as the region also covers
 * the region-less ARNs of global cross-region profiles. List calls have no resource to narrow to.
 */
const MODEL_RESOURCES = ['arn:aws:bedrock:*::foundation-model/anthropic.*', 'arn:aws:bedrock:*:*:inference-profile/*'];

export const BEDROCK_PERMISSIONS: readonly BedrockPermission[] = [
  {
    sid: 'Inference',
    actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
    purpose: 'Inference: every Claude Code request, streamed or not.',
    required: true,
    resources: MODEL_RESOURCES,
  },
  {
    sid: 'TokenCounting',
    actions: ['bedrock:CountTokens'],
    purpose: 'Token counting (Claude Code’s count_tokens calls); without it those calls fail, inference still works.',
    required: false,
    resources: MODEL_RESOURCES,
  },
  {
    sid: 'DiscoveryAndHealth',
    actions: ['bedrock:ListInferenceProfiles'],
    purpose: 'Model discovery and health checks.',
    required: true,
    resources: ['*'],
  },
  {
    sid: 'QuotaVisibility',
    actions: ['servicequotas:ListServiceQuotas'],
    purpose: 'Quota visibility in the portal.',
    required: false,
    resources: ['*'],
  },
];

export function iamPolicyJson(permissions: readonly BedrockPermission[] = BEDROCK_PERMISSIONS): string {
  const policy = {
    Version: '2012-10-17',
    Statement: permissions.map((permission) => ({
      Sid: permission.sid,
      Effect: 'Allow',
      Action: permission.actions.length === 1 ? permission.actions[0] : permission.actions,
      Resource: permission.resources.length === 1 ? permission.resources[0] : permission.resources,
    })),
  };
  return JSON.stringify(policy, null, 2);
}

/** The trust policy that lets the gateway's own AWS identity assume a role, with the external id as the condition. */
export function trustPolicyJson(gatewayPrincipalArn: string, externalId: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: gatewayPrincipalArn },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': externalId } },
        },
      ],
    },
    null,
    2,
  );
}
