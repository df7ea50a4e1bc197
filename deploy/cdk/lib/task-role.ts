/**
 * The gateway task's IAM role: exactly the AWS calls the gateway makes (grep the *Command uses in
 * src/): Bedrock InvokeModel, InvokeModelWithResponseStream and CountTokens (the data plane),
 * ListInferenceProfiles (discovery and health checks), SNS Publish and EventBridge PutEvents
 * (notifications), pricing:GetProducts ("Refresh from AWS"), servicequotas:ListServiceQuotas (the
 * quota view), and sts:AssumeRole for endpoints in other accounts (their trust policy requires the
 * ExternalId, docs/deploy.md).
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface TaskRoleOptions {
  /** SNS topics notifications may publish to; every topic when empty (scope it: docs/deploy.md). */
  notificationTopicArns: string[];
  /** EventBridge buses notifications may put events on; every bus when empty. */
  eventBusArns: string[];
  /** Roles in other accounts that Bedrock endpoints with assume_role use. */
  assumableRoleArns: string[];
}

export function createTaskRole(scope: Construct, options: TaskRoleOptions): iam.Role {
  const role = new iam.Role(scope, 'TaskRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: 'CCAG gateway tasks: Bedrock, notifications, pricing, quotas, cross-account endpoints',
  });
  const bedrock = (resource: string) => `arn:${Aws.PARTITION}:bedrock:${resource}`;
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'BedrockInference',
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:CountTokens'],
      // Any region: a cross-region inference profile invokes the model in several regions.
      resources: [bedrock('*::foundation-model/*'), bedrock(`*:${Aws.ACCOUNT_ID}:inference-profile/*`), bedrock(`*:${Aws.ACCOUNT_ID}:application-inference-profile/*`)],
    }),
  );
  // List calls have no resource-level permissions.
  role.addToPolicy(new iam.PolicyStatement({ sid: 'BedrockDiscovery', actions: ['bedrock:ListInferenceProfiles'], resources: ['*'] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Notifications', actions: ['sns:Publish'], resources: orEvery(options.notificationTopicArns) }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'NotificationEvents', actions: ['events:PutEvents'], resources: orEvery(options.eventBusArns) }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Pricing', actions: ['pricing:GetProducts'], resources: ['*'] }));
  role.addToPolicy(new iam.PolicyStatement({ sid: 'Quotas', actions: ['servicequotas:ListServiceQuotas'], resources: ['*'] }));
  if (options.assumableRoleArns.length > 0) {
    role.addToPolicy(new iam.PolicyStatement({ sid: 'CrossAccountEndpoints', actions: ['sts:AssumeRole'], resources: options.assumableRoleArns }));
  }
  return role;
}

function orEvery(arns: string[]): string[] {
  return arns.length > 0 ? arns : ['*'];
}
