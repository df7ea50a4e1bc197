/**
 * The AWS CDK app, synthesized offline (one synth for the file) and asserted with
 * aws-cdk-lib/assertions: what the gateway needs from AWS is derived from its source where it can
 * be (the SDK commands it sends, its settings' defaults, the shipped alert rules), so a new AWS
 * call or a changed default fails here until the stack follows.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { SynthesisMessage } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CcagStack } from '../../deploy/cdk/lib/ccag-stack.js';
import { ENV_NAMES, loadSettings, settingsSchema } from '../../src/config/settings.js';
import { resolveMasterKey } from '../../src/config/secret-box.js';

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
const CROSS_ACCOUNT_ROLE = 'arn:aws:iam::210987654321:role/ccag-bedrock';

let template: Template;
let messages: SynthesisMessage[];

beforeAll(() => {
  const app = new App();
  const stack = new CcagStack(app, 'Ccag', {
    env: { account: '123456789012', region: 'eu-west-1' },
    image: { repositoryName: 'ccag', tag: '0.1.0' },
    repositoryRoot: process.cwd(),
    certificateArn: CERTIFICATE,
    publicUrl: 'https://ccag.example.com',
    desiredCount: 2,
    maxCount: 10,
    notificationTopicArns: [],
    eventBusArns: [],
    assumableRoleArns: [CROSS_ACCOUNT_ROLE],
  });
  // One synthesis: Template.fromStack and Annotations.fromStack would each run their own.
  const artifact = app.synth().getStackArtifact(stack.artifactId);
  template = Template.fromJSON(artifact.template as Record<string, unknown>);
  messages = artifact.messages;
  // The synthesis costs about 10 s of CPU, but on the shared two-core machines (load average 20)
  // the hook took 45 to 100 s of wall time.
}, 300_000);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The IAM prefix of each AWS SDK client the gateway depends on. */
const IAM_PREFIX: Record<string, string> = {
  '@aws-sdk/client-bedrock': 'bedrock',
  '@aws-sdk/client-bedrock-runtime': 'bedrock',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-pricing': 'pricing',
  '@aws-sdk/client-service-quotas': 'servicequotas',
};

/** Every AWS action src/ calls: each `new XCommand(` of an @aws-sdk client, and STS AssumeRole for assume-role credentials. */
function actionsTheGatewayCalls(): string[] {
  const actions = new Set<string>();
  for (const file of sourceFiles('src')) {
    const text = readFileSync(file, 'utf8');
    for (const [, names, client] of text.matchAll(/import\s*\{([^}]+)\}\s*from\s*'(@aws-sdk\/client-[a-z-]+)'/g)) {
      for (const name of names!.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        if (!name.endsWith('Command') || !text.includes(`new ${name}(`)) continue;
        const prefix = IAM_PREFIX[client!];
        if (!prefix) throw new Error(`${file} sends ${name} through ${client}: add its IAM prefix here and its permission to deploy/cdk/lib/task-role.ts`);
        actions.add(`${prefix}:${name.slice(0, -'Command'.length)}`);
      }
    }
    if (text.includes('fromTemporaryCredentials(')) actions.add('sts:AssumeRole');
  }
  return [...actions].sort();
}

function taskRoleId(): string {
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecs-tasks.amazonaws.com' } })] }, Description: Match.stringLikeRegexp('^CCAG gateway tasks') },
  });
  expect(Object.keys(roles)).toHaveLength(1);
  return Object.keys(roles)[0]!;
}

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Sid?: string;
}

function taskRoleStatements(): Statement[] {
  const id = taskRoleId();
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: id }]));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** The fields of the synthesized container definition these tests read. */
interface ContainerDefinition {
  StopTimeout: number;
  HealthCheck: { Command: string[] };
  PortMappings: Array<{ ContainerPort: number }>;
  ReadonlyRootFilesystem: boolean;
  MountPoints: Array<{ ContainerPath: string }>;
  Secrets: Array<{ Name: string }>;
  Environment: Array<{ Name: string; Value: unknown }>;
}

function container(): ContainerDefinition {
  const definitions = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
  expect(definitions).toHaveLength(1);
  return definitions[0]!.Properties.ContainerDefinitions[0];
}

describe('deploy/cdk (CcagStack)', () => {
  it('synthesizes without warnings or errors', () => {
    expect(messages.map((m) => `${m.level} ${m.id}: ${String(m.entry.data)}`)).toEqual([]);
  });

  it('gives the task role every AWS action the gateway calls, and outputs its ARN', () => {
    const called = actionsTheGatewayCalls();
    expect(called).toEqual(expect.arrayContaining(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'sns:Publish', 'events:PutEvents']));
    const allowed = taskRoleStatements().flatMap((s) => [s.Action].flat());
    for (const action of called) expect(allowed, action).toContain(action);
    template.hasOutput('TaskRoleArn', { Value: { 'Fn::GetAtt': [taskRoleId(), 'Arn'] } });
  });

  it('limits Bedrock inference to models and inference profiles, and assume-role to the named roles', () => {
    const bySid = Object.fromEntries(taskRoleStatements().map((s) => [s.Sid, s]));
    expect(JSON.stringify(bySid.BedrockInference!.Resource)).toMatch(/foundation-model\/\*.*inference-profile\/\*.*application-inference-profile\/\*/);
    expect(bySid.BedrockInference!.Resource).not.toContain('*');
    expect(bySid.CrossAccountEndpoints).toEqual({ Sid: 'CrossAccountEndpoints', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: CROSS_ACCOUNT_ROLE });
  });

  it('runs the image on Fargate behind an HTTPS ALB whose idle timeout outlasts the upstream timeout', () => {
    template.hasResourceProperties('AWS::ECS::Service', { LaunchType: 'FARGATE', DesiredCount: 2 });
    const upstreamTimeoutSeconds = settingsSchema.shape.upstreamTimeoutMs.parse(undefined) / 1000;
    const attributes = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0]!.Properties.LoadBalancerAttributes as Array<{ Key: string; Value: string }>;
    expect(Number(attributes.find((a) => a.Key === 'idle_timeout.timeout_seconds')?.Value)).toBeGreaterThan(upstreamTimeoutSeconds);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: CERTIFICATE }] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect' })] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health', Matcher: { HttpCode: '200' } });
  });

  it('lets the gateway drain before ECS kills it, and checks /health', () => {
    const graceSeconds = settingsSchema.shape.shutdownGraceMs.parse(undefined) / 1000;
    const c = container();
    expect(c.StopTimeout).toBeGreaterThan(graceSeconds);
    expect(c.HealthCheck.Command.join(' ')).toContain("'http://127.0.0.1:8080/health'");
    expect(c.PortMappings).toEqual([expect.objectContaining({ ContainerPort: 8080 })]);
    expect(c.ReadonlyRootFilesystem).toBe(true);
    expect(c.MountPoints.map((m) => m.ContainerPath)).toContain('/var/lib/ccag');
  });

  it('passes DATABASE_URL, REDIS_URL and the master key from Secrets Manager, and only settings the gateway reads', () => {
    const c = container();
    const secrets = c.Secrets.map((s) => s.Name).sort();
    expect(secrets).toEqual(['ADMIN_PASSWORD', 'CCAG_MASTER_KEY', 'CCAG_METRICS_TOKEN', 'DATABASE_URL', 'REDIS_URL']);
    const environment = c.Environment.map((e) => e.Name);
    const known = new Set([...Object.values(ENV_NAMES), 'NODE_OPTIONS']);
    for (const name of [...secrets, ...environment]) expect(known.has(name), name).toBe(true);
    expect(JSON.stringify(c.Environment)).not.toMatch(/PASSWORD|MASTER_KEY|DATABASE_URL|REDIS_URL/);
  });

  it('composes DATABASE_URL and REDIS_URL from dynamic references, with no secret in the template', () => {
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    const composed = secrets.filter((s) => s.Properties.SecretString !== undefined).map((s) => JSON.stringify(s.Properties.SecretString));
    expect(composed).toHaveLength(2);
    expect(composed.find((s) => s.includes('postgres://'))).toMatch(/postgres:\/\/\{\{resolve:secretsmanager:.*:SecretString:username::\}\}:\{\{resolve:secretsmanager:.*:SecretString:password::\}\}@/);
    expect(composed.find((s) => s.includes('rediss://'))).toMatch(/rediss:\/\/:\{\{resolve:secretsmanager:/);
    template.hasResourceProperties('AWS::RDS::DBInstance', { Engine: 'postgres', StorageEncrypted: true, MultiAZ: true, DeletionProtection: true });
    const [redis] = Object.values(template.findResources('AWS::ElastiCache::ReplicationGroup'));
    expect(redis!.Properties).toMatchObject({ Engine: 'redis', TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true });
    expect(JSON.stringify(redis!.Properties.AuthToken)).toMatch(/^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"RedisAuthToken[0-9A-F]+"\},":SecretString:::\}\}"\]\]\}$/);
  });

  it('generates a master key the gateway accepts: 64 hex characters', () => {
    const generator = Object.values(template.findResources('AWS::SecretsManager::Secret', { Properties: { Description: Match.stringLikeRegexp('^CCAG_MASTER_KEY') } }))[0]!.Properties.GenerateSecretString;
    // Secrets Manager draws from the printable ASCII the options leave.
    const alphabet = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))].filter((ch) => {
      if (generator.IncludeSpace === false && ch === ' ') return false;
      if (generator.ExcludePunctuation && /[!-/:-@[-`{-~]/.test(ch)) return false;
      if (generator.ExcludeUppercase && /[A-Z]/.test(ch)) return false;
      return !(generator.ExcludeCharacters ?? '').includes(ch);
    });
    expect(alphabet.join('')).toBe('0123456789abcdef');
    const sample = Array.from({ length: generator.PasswordLength }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('');
    const settings = loadSettings({ env: { CCAG_MASTER_KEY: sample, DATABASE_URL: 'postgres://db/ccag' } });
    expect(resolveMasterKey(settings)).toHaveLength(32);
  });

  it('alarms on the shipped Prometheus conditions it can see, to an SNS topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(6);
    const rules = (parse(readFileSync('deploy/prometheus/alerts.yml', 'utf8')) as { groups: Array<{ rules: Array<{ alert: string }> }> }).groups.flatMap((g) => g.rules.map((r) => r.alert));
    const mirrored = alarms.flatMap((a) => [...String(a.Properties.AlarmDescription).matchAll(/Prometheus: (\w+)/g)].map((m) => m[1]!));
    expect(mirrored.sort()).toEqual(['CCAGDown', 'CCAGEventLoopLag', 'CCAGHighErrorRate']);
    for (const rule of mirrored) expect(rules).toContain(rule);
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    // CCAGHighErrorRate: more than 5% 5xx for 10 minutes.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 5, EvaluationPeriods: 10, Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * errors / FILL(requests, 1)' })]) });
    // CCAGDown: for 2 minutes.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'UnHealthyHostCount', EvaluationPeriods: 2, Threshold: 0 });
  });

  it('scales on CPU between the desired and the maximum count', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } }),
    });
  });
});
