/**
 * `ccag endpoints validate | models | quotas`: what an endpoint can do right now, asked of the
 * upstream itself through the gateway. `validate` exits 1 when a check fails, so scripts (and CI
 * after a credential rotation) can rely on its status.
 */
import type { Command } from 'commander';
import type { EndpointCheck, EndpointModel, EndpointQuota } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, renderTable, type Column } from '../output.js';
import { findEndpoint } from '../resolve.js';

const CHECK_COLUMNS: readonly Column<EndpointCheck>[] = [
  { header: 'Check', value: (check) => check.name },
  { header: 'OK', value: (check) => check.ok },
  { header: 'ms', value: (check) => check.ms, align: 'right' },
  { header: 'Detail', value: (check) => check.detail },
];

const MODEL_COLUMNS: readonly Column<EndpointModel>[] = [
  { header: 'ID', value: (model) => model.id },
  { header: 'Name', value: (model) => model.display_name },
  { header: 'Released', value: (model) => model.created_at?.slice(0, 10) },
];

const QUOTA_COLUMNS: readonly Column<EndpointQuota>[] = [
  { header: 'Quota', value: (quota) => quota.name },
  { header: 'Value', value: (quota) => quota.value.toLocaleString('en-US'), align: 'right' },
  { header: 'Unit', value: (quota) => (quota.unit === 'None' ? '' : quota.unit) },
  { header: 'Adjustable', value: (quota) => quota.adjustable },
  { header: 'Code', value: (quota) => quota.code },
];

export function registerEndpointInspectCommands(endpoints: Command, io: CliIo): void {
  gatewayOptions(endpoints.command('validate'))
    .description('test an endpoint: credentials, reachability and models (exits 1 when a check fails)')
    .argument('<id|name>', 'endpoint id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const endpoint = findEndpoint(await client.listEndpoints(), reference);
        const report = await client.validateEndpoint(endpoint.id);
        const failed = report.checks.filter((check) => !check.ok).map((check) => check.name);
        if (out.json) out.done('', report);
        else io.stdout.write(`Endpoint ${endpoint.name}: ${report.ok ? 'all checks passed' : 'some checks failed'}.\n\n${renderTable(report.checks, CHECK_COLUMNS)}`);
        if (!report.ok) throw new CliError(`endpoint ${endpoint.name} failed its checks: ${failed.join(', ')}`);
      }),
    );

  gatewayOptions(endpoints.command('models'))
    .description('list the models an endpoint serves, as the upstream reports them')
    .argument('<id|name>', 'endpoint id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const endpoint = findEndpoint(await client.listEndpoints(), reference);
        out.list(await client.endpointModels(endpoint.id), MODEL_COLUMNS, `Endpoint ${endpoint.name} reports no models.`);
      }),
    );

  gatewayOptions(endpoints.command('quotas'))
    .description("show a Bedrock endpoint's service quotas for Claude (needs servicequotas:ListServiceQuotas)")
    .argument('<id|name>', 'endpoint id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const endpoint = findEndpoint(await client.listEndpoints(), reference);
        const quotas = await client.endpointQuotas(endpoint.id);
        if (out.json) return out.done('', quotas);
        if (quotas.unavailable) return out.text(`No quotas to show for ${endpoint.name}: ${quotas.unavailable}.`);
        out.list(quotas.data, QUOTA_COLUMNS, `Endpoint ${endpoint.name} has no Claude quotas in its region.`);
        out.text(`\nRead from AWS Service Quotas at ${formatTime(quotas.fetched_at)} UTC.`);
      }),
    );
}
