/**
 * The CDK app: `npx aws-cdk@2 deploy -c ecrRepository=ccag -c imageTag=0.1.0 -c certificateArn=<acm-arn> …` from
 * deploy/cdk (docs/deploy.md lists every context value).
 */
import { App } from 'aws-cdk-lib';
import { fileURLToPath } from 'node:url';
import { CcagStack } from '../lib/ccag-stack.js';

const app = new App();
const context = (name: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};
const list = (name: string): string[] => (context(name) ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');

const ecrRepository = context('ecrRepository');

new CcagStack(app, context('stackName') ?? 'Ccag', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  image: ecrRepository ? { repositoryName: ecrRepository, tag: context('imageTag') ?? 'latest' } : undefined,
  repositoryRoot: fileURLToPath(new URL('../../..', import.meta.url)),
  certificateArn: context('certificateArn'),
  publicUrl: context('publicUrl'),
  alarmEmail: context('alarmEmail'),
  desiredCount: Number(context('desiredCount') ?? 2),
  maxCount: Number(context('maxCount') ?? 10),
  notificationTopicArns: list('notificationTopicArns'),
  eventBusArns: list('eventBusArns'),
  assumableRoleArns: list('assumableRoleArns'),
});
app.synth();
