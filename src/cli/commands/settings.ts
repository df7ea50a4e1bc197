/**
 * `ccag settings list | set`: the runtime settings an admin changes without restarting the
 * gateway. Names are the API's in kebab case (session_ttl_hours → session-ttl-hours); the
 * gateway validates the value, so its range lives in one place.
 */
import { Argument, InvalidArgumentError, type Command } from 'commander';
import type { SettingName, SettingsRecord } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column } from '../output.js';

/** One entry per API setting; the type makes a setting the API gains a compile error here until described. */
const DESCRIPTIONS: { readonly [K in SettingName]: string } = {
  session_ttl_hours: 'hours a new admin session (ccag login) lasts; existing sessions keep their expiry',
};

type SettingRow = SettingsRecord[SettingName] & { name: string };

const SETTING_COLUMNS: readonly Column<SettingRow>[] = [
  { header: 'Setting', value: (row) => row.name },
  { header: 'Value', value: (row) => row.value, align: 'right' },
  { header: 'Default', value: (row) => row.default, align: 'right' },
  { header: 'Source', value: (row) => row.source },
  { header: 'Updated', value: (row) => formatTime(row.updated_at) },
];

const cliName = (name: SettingName) => name.replace(/_/g, '-');
const NAMES = Object.keys(DESCRIPTIONS) as SettingName[];

function rows(record: SettingsRecord): SettingRow[] {
  return NAMES.map((name) => ({ ...record[name], name: cliName(name) }));
}

/** Every setting today is a whole number; `default` goes back to the environment's value. */
function parseValue(raw: string): number | null {
  const text = raw.trim();
  if (text === 'default') return null;
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('expected a whole number, or "default" for the environment default');
  return Number(text);
}

export function registerSettingsCommands(program: Command, io: CliIo): void {
  const settings = program.command('settings').description('show and change runtime settings (no restart needed)');

  gatewayOptions(settings.command('list'))
    .description('list runtime settings with their values, defaults and sources')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const record = await client.getSettings();
        // --json prints the API's object as it came; people get one row per setting.
        if (out.json) out.done('', record);
        else out.list(rows(record), SETTING_COLUMNS, 'The gateway has no runtime settings.');
      }),
    );

  gatewayOptions(settings.command('set'))
    .description('change a runtime setting on every replica (within seconds)')
    .addArgument(new Argument('<name>', NAMES.map((name) => `${cliName(name)}: ${DESCRIPTIONS[name]}`).join('; ')).choices(NAMES.map(cliName)))
    .argument('<value>', 'the new value, or "default" to go back to the environment default', parseValue)
    .action((name: string, value: number | null, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const key = name.replace(/-/g, '_') as SettingName;
        const record = await client.updateSettings({ [key]: value });
        const setting = record[key];
        out.done(`Set ${name} to ${setting.value} (${setting.source === 'database' ? 'stored in the database' : 'the environment default'}).`, record);
      }),
    );
}
