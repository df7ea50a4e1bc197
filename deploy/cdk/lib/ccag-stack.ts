/**
 * CCAG on AWS: Fargate tasks behind an Application Load Balancer, RDS PostgreSQL and ElastiCache
 * Redis in private subnets, secrets in Secrets Manager, the task role of lib/task-role.ts and the
 * alarms of lib/alarms.ts. docs/deploy.md explains the context values bin/ccag.ts reads.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { createAlarms } from './alarms.js';
import { createDataStores } from './data-stores.js';
import { createTaskRole, type TaskRoleOptions } from './task-role.js';

const CONTAINER_PORT = 8080;

export interface CcagStackProps extends StackProps, TaskRoleOptions {
  /** An image already pushed to ECR in this account and region; without it, deploy/Dockerfile is built at deploy time. */
  image?: { repositoryName: string; tag: string };
  /** The repository root, the build context of deploy/Dockerfile when `image` is not given. */
  repositoryRoot: string;
  /** ACM certificate for an HTTPS listener (HTTP redirects to it). Claude Code fetches managed settings only over https. */
  certificateArn?: string;
  /** The https:// address users reach (CCAG_PUBLIC_URL), when a DNS name points at the load balancer. */
  publicUrl?: string;
  /** Address alarm notifications are sent to. */
  alarmEmail?: string;
  desiredCount: number;
  maxCount: number;
}

export class CcagStack extends Stack {
  constructor(scope: Construct, id: string, props: CcagStackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const stores = createDataStores(this, vpc);
    const taskRole = createTaskRole(this, props);

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      // docs/benchmarks.md: 143 MB resident after start, 323 MB peak under 64 streams.
      cpu: 512,
      memoryLimitMiB: 1024,
      taskRole,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    // The spend journal and /tmp: the root filesystem is read-only.
    taskDefinition.addVolume({ name: 'data' });
    taskDefinition.addVolume({ name: 'tmp' });
    const container = taskDefinition.addContainer('ccag', {
      // Both forms grant the execution role the ECR pull permissions.
      image: props.image
        ? ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(this, 'Repository', props.image.repositoryName), props.image.tag)
        : ecs.ContainerImage.fromAsset(props.repositoryRoot, { file: 'deploy/Dockerfile' }),
      portMappings: [{ containerPort: CONTAINER_PORT }],
      readonlyRootFilesystem: true,
      // Above CCAG_SHUTDOWN_GRACE_MS (30 s): in-flight streams drain and the ledger flushes.
      stopTimeout: Duration.seconds(45),
      environment: {
        PORT: String(CONTAINER_PORT),
        CCAG_REPLICAS: String(Math.max(2, props.desiredCount)),
        // First start only: creates the default Bedrock endpoint in this region, with the task role.
        AWS_REGION: this.region,
        NODE_OPTIONS: '--max-old-space-size=192',
        ...(props.publicUrl ? { CCAG_PUBLIC_URL: props.publicUrl } : {}),
      },
      secrets: {
        DATABASE_URL: ecs.Secret.fromSecretsManager(stores.databaseUrl),
        REDIS_URL: ecs.Secret.fromSecretsManager(stores.redisUrl),
        CCAG_MASTER_KEY: ecs.Secret.fromSecretsManager(stores.masterKey),
        ADMIN_PASSWORD: ecs.Secret.fromSecretsManager(stores.adminPassword),
        CCAG_METRICS_TOKEN: ecs.Secret.fromSecretsManager(stores.metricsToken),
      },
      // ECS ignores the image's HEALTHCHECK, so it is repeated here.
      healthCheck: {
        command: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        startPeriod: Duration.seconds(20),
        retries: 3,
      },
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'ccag', logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }) }),
    });
    container.addMountPoints(
      { containerPath: '/var/lib/ccag', sourceVolume: 'data', readOnly: false },
      { containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false },
    );

    const https = props.certificateArn !== undefined;
    const fargate = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Gateway', {
      cluster: new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED }),
      taskDefinition,
      desiredCount: props.desiredCount,
      publicLoadBalancer: true,
      // Longer than CCAG_UPSTREAM_TIMEOUT_MS (600 s), the longest an upstream may stay silent
      // before its headers; once streaming, the gateway pings every 5 s.
      idleTimeout: Duration.seconds(900),
      ...(https
        ? { protocol: elbv2.ApplicationProtocol.HTTPS, redirectHTTP: true, certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn!) }
        : { protocol: elbv2.ApplicationProtocol.HTTP }),
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
    });
    // /health never touches a dependency: an upstream outage must not take every task out.
    fargate.targetGroup.configureHealthCheck({ path: '/health', healthyHttpCodes: '200', interval: Duration.seconds(15), healthyThresholdCount: 2 });
    // A little above the drain, so the ALB stops sending before the task stops answering.
    fargate.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '40');

    stores.databaseConnections.allowDefaultPortFrom(fargate.service, 'CCAG tasks');
    stores.redisSecurityGroup.addIngressRule(fargate.service.connections.securityGroups[0]!, ec2.Port.tcp(6379), 'CCAG tasks');

    const scaling = fargate.service.autoScaleTaskCount({ minCapacity: props.desiredCount, maxCapacity: props.maxCount });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60, scaleInCooldown: Duration.minutes(5), scaleOutCooldown: Duration.minutes(1) });

    const alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'CCAG alarms' });
    if (props.alarmEmail) alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    createAlarms(this, { loadBalancer: fargate.loadBalancer, targetGroup: fargate.targetGroup, service: fargate.service, topic: alarmTopic });

    // docs/notifications.md: the principal a BYO SNS topic or EventBridge bus policy must allow.
    new CfnOutput(this, 'TaskRoleArn', { value: taskRole.roleArn, description: 'Allow this role to publish in your SNS topic or EventBridge bus policy, and to assume cross-account Bedrock roles' });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
    new CfnOutput(this, 'AdminPasswordSecretArn', { value: stores.adminPassword.secretArn, description: 'The first admin\'s password (user "admin")' });
    new CfnOutput(this, 'MetricsTokenSecretArn', { value: stores.metricsToken.secretArn });
  }
}
