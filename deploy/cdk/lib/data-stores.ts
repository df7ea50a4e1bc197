/**
 * The stores every replica shares: RDS PostgreSQL (DATABASE_URL), ElastiCache Redis with TLS and
 * an auth token (REDIS_URL), and the gateway's own secrets, all in Secrets Manager. The URLs are
 * composed into secrets of their own because the gateway reads one variable each; the template
 * holds only dynamic references ({{resolve:secretsmanager:…}}), which CloudFormation resolves at
 * deploy time, never a password.
 */
import { Duration, Fn, RemovalPolicy, SecretValue, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Characters that would need percent-encoding in a URL's userinfo, kept out of generated passwords. */
const URL_UNSAFE = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\,=^';

export interface DataStores {
  databaseUrl: secretsmanager.ISecret;
  redisUrl: secretsmanager.ISecret;
  masterKey: secretsmanager.ISecret;
  adminPassword: secretsmanager.ISecret;
  metricsToken: secretsmanager.ISecret;
  /** Security groups the gateway's tasks must be allowed into. */
  databaseConnections: ec2.Connections;
  redisSecurityGroup: ec2.SecurityGroup;
}

function generatedSecret(scope: Construct, id: string, description: string, generate: secretsmanager.SecretStringGenerator): secretsmanager.Secret {
  return new secretsmanager.Secret(scope, id, { description, generateSecretString: generate });
}

function postgres(scope: Construct, vpc: ec2.IVpc): rds.DatabaseInstance {
  return new rds.DatabaseInstance(scope, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    databaseName: 'ccag',
    credentials: rds.Credentials.fromGeneratedSecret('ccag', { excludeCharacters: URL_UNSAFE }),
    multiAz: true,
    allocatedStorage: 50,
    maxAllocatedStorage: 500,
    storageEncrypted: true,
    backupRetention: Duration.days(7),
    deletionProtection: true,
    // The spend ledger is the bill: keep a final snapshot when the stack goes.
    removalPolicy: RemovalPolicy.SNAPSHOT,
  });
}

function redis(scope: Construct, vpc: ec2.IVpc, authToken: secretsmanager.ISecret): { group: elasticache.CfnReplicationGroup; securityGroup: ec2.SecurityGroup } {
  const securityGroup = new ec2.SecurityGroup(scope, 'RedisSecurityGroup', { vpc, description: 'CCAG Redis', allowAllOutbound: false });
  const subnets = new elasticache.CfnSubnetGroup(scope, 'RedisSubnets', {
    description: 'CCAG Redis',
    subnetIds: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
  });
  const group = new elasticache.CfnReplicationGroup(scope, 'Redis', {
    replicationGroupDescription: 'CCAG rate limits, budget reservations and cache invalidation',
    engine: 'redis',
    engineVersion: '7.1',
    cacheNodeType: 'cache.t4g.small',
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    transitEncryptionEnabled: true,
    atRestEncryptionEnabled: true,
    authToken: authToken.secretValue.unsafeUnwrap(),
    cacheSubnetGroupName: subnets.ref,
    securityGroupIds: [securityGroup.securityGroupId],
  });
  return { group, securityGroup };
}

export function createDataStores(scope: Construct, vpc: ec2.IVpc): DataStores {
  const database = postgres(scope, vpc);
  const credentials = database.secret!;
  const databaseUrl = new secretsmanager.Secret(scope, 'DatabaseUrl', {
    description: 'CCAG DATABASE_URL, composed from the RDS credentials',
    // RDS for PostgreSQL 15+ requires TLS; "no-verify" encrypts without checking Amazon's RDS CA,
    // which Node does not trust by default (docs/deploy.md shows how to verify it).
    secretStringValue: SecretValue.unsafePlainText(
      Fn.join('', [
        'postgres://',
        credentials.secretValueFromJson('username').unsafeUnwrap(),
        ':',
        credentials.secretValueFromJson('password').unsafeUnwrap(),
        '@',
        database.dbInstanceEndpointAddress,
        ':',
        database.dbInstanceEndpointPort,
        '/ccag?sslmode=no-verify',
      ]),
    ),
  });

  const redisToken = generatedSecret(scope, 'RedisAuthToken', 'CCAG Redis AUTH token', { passwordLength: 64, excludeCharacters: URL_UNSAFE });
  const cache = redis(scope, vpc, redisToken);
  const redisUrl = new secretsmanager.Secret(scope, 'RedisUrl', {
    description: 'CCAG REDIS_URL (TLS, with the AUTH token)',
    secretStringValue: SecretValue.unsafePlainText(
      Fn.join('', ['rediss://:', redisToken.secretValue.unsafeUnwrap(), '@', cache.group.attrPrimaryEndPointAddress, ':', Token.asString(cache.group.attrPrimaryEndPointPort)]),
    ),
  });

  return {
    databaseUrl,
    redisUrl,
    // 64 hex characters, the form `openssl rand -hex 32` gives (docs/configuration.md).
    masterKey: generatedSecret(scope, 'MasterKey', 'CCAG_MASTER_KEY: encrypts upstream credentials at rest', {
      passwordLength: 64,
      excludeUppercase: true,
      excludePunctuation: true,
      includeSpace: false,
      excludeCharacters: 'ghijklmnopqrstuvwxyz',
    }),
    adminPassword: generatedSecret(scope, 'AdminPassword', 'ADMIN_PASSWORD of the first CCAG admin (user "admin")', { passwordLength: 24, excludePunctuation: true }),
    metricsToken: generatedSecret(scope, 'MetricsToken', 'CCAG_METRICS_TOKEN: the bearer token that may read /metrics', { passwordLength: 40, excludePunctuation: true }),
    databaseConnections: database.connections,
    redisSecurityGroup: cache.securityGroup,
  };
}
