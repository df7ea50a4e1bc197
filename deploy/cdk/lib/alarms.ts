/**
 * CloudWatch alarms for what the ALB and ECS can see of the shipped Prometheus rules
 * (deploy/prometheus/alerts.yml). The ledger, budget, throttling and endpoint rules need the
 * gateway's own metrics: scrape /metrics (Amazon Managed Prometheus, or the OTLP push) for those.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmTargets {
  loadBalancer: elbv2.ApplicationLoadBalancer;
  targetGroup: elbv2.ApplicationTargetGroup;
  service: ecs.FargateService;
  topic: sns.ITopic;
}

const MINUTE = Duration.minutes(1);

export function createAlarms(scope: Construct, targets: AlarmTargets): cloudwatch.Alarm[] {
  const { loadBalancer, targetGroup, service } = targets;
  const alb = loadBalancer.metrics;
  const alarms: cloudwatch.Alarm[] = [
    // CCAGHighErrorRate: more than 5% of requests answered with a 5xx, for 10 minutes.
    new cloudwatch.MathExpression({
      expression: '100 * errors / FILL(requests, 1)',
      usingMetrics: {
        errors: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: MINUTE, statistic: 'Sum' }),
        requests: targetGroup.metrics.requestCount({ period: MINUTE, statistic: 'Sum' }),
      },
      label: 'Target 5xx %',
      period: MINUTE,
    }).createAlarm(scope, 'HighErrorRate', {
      alarmDescription: 'More than 5% of CCAG responses were 5xx for 10 minutes (Prometheus: CCAGHighErrorRate).',
      threshold: 5,
      evaluationPeriods: 10,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    // CCAGDown: a replica that cannot be reached for 2 minutes.
    targetGroup.metrics.unhealthyHostCount({ period: MINUTE, statistic: 'Maximum' }).createAlarm(scope, 'UnhealthyHosts', {
      alarmDescription: 'A CCAG task has failed its /health check for 2 minutes (Prometheus: CCAGDown).',
      threshold: 0,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    // 502/503/504 from the load balancer itself: no task took the request.
    alb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: Duration.minutes(5), statistic: 'Sum' }).createAlarm(scope, 'LoadBalancer5xx', {
      alarmDescription: 'The load balancer answered 5xx itself (no healthy CCAG task, or a task closed the connection) more than 10 times in 5 minutes.',
      threshold: 10,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    // Time to the response headers: for a stream that is the upstream's first byte. Beyond the
    // failover deadline (CCAG_FAILOVER_DEADLINE_MS, 30 s) upstreams hang (Prometheus: CCAGUpstreamErrors).
    targetGroup.metrics.targetResponseTime({ period: MINUTE, statistic: 'p90' }).createAlarm(scope, 'SlowResponseHeaders', {
      alarmDescription: 'p90 of the time to CCAG response headers has been above 30 s for 10 minutes: upstreams hang before answering.',
      threshold: 30,
      evaluationPeriods: 10,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    // CCAGEventLoopLag's usual cause: replicas CPU-bound (autoscaling should have added tasks).
    service.metricCpuUtilization({ period: MINUTE }).createAlarm(scope, 'HighCpu', {
      alarmDescription: 'CCAG tasks have averaged above 80% CPU for 10 minutes (Prometheus: CCAGEventLoopLag).',
      threshold: 80,
      evaluationPeriods: 10,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    }),
    service.metricMemoryUtilization({ period: MINUTE }).createAlarm(scope, 'HighMemory', {
      alarmDescription: 'CCAG tasks have averaged above 85% of their memory for 10 minutes.',
      threshold: 85,
      evaluationPeriods: 10,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    }),
  ];
  for (const alarm of alarms) alarm.addAlarmAction(new actions.SnsAction(targets.topic));
  return alarms;
}
