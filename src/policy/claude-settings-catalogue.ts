/**
 * The keys of Claude Code's settings.json that a managed-settings document may carry, with the
 * type Claude Code expects for each: the one list the policy editor validates against. Taken from
 * Claude Code's settings reference and the settings schema of the release the tests run
 * (2.1.19x), internal keys left out. A key missing here is only warned about when saved (Claude
 * Code adds keys often, and an older gateway must not refuse a newer setting); a known key with
 * the wrong type is refused, since Claude Code would reject the whole managed document.
 */
import { z } from 'zod';

const text = z.string();
const flag = z.boolean();
const count = z.number().int().positive();
const texts = z.array(z.string());
const object = z.record(z.string(), z.unknown());
const commandLine = z.object({ type: z.literal('command'), command: z.string() }).passthrough();

/** Environment variables reach the process as strings; Claude Code refuses other value types. */
const env = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'), z.string());

const permissions = z
  .object({
    allow: texts.optional(),
    deny: texts.optional(),
    ask: texts.optional(),
    additionalDirectories: texts.optional(),
    defaultMode: z.enum(['default', 'acceptEdits', 'plan', 'auto', 'dontAsk', 'bypassPermissions']).optional(),
    disableBypassPermissionsMode: z.literal('disable').optional(),
  })
  .passthrough();

export const CLAUDE_SETTINGS: Readonly<Record<string, z.ZodType>> = {
  $schema: text,
  apiKeyHelper: text,
  proxyAuthHelper: text,
  awsCredentialExport: text,
  awsAuthRefresh: text,
  gcpAuthRefresh: text,
  otelHeadersHelper: text,
  fileSuggestion: commandLine,
  respectGitignore: flag,
  cleanupPeriodDays: count,
  env,
  attribution: z.object({ commit: text.optional(), pr: text.optional(), sessionUrl: flag.optional() }).passthrough(),
  includeCoAuthoredBy: flag,
  includeGitInstructions: flag,
  permissions,
  model: text,
  fallbackModel: texts,
  availableModels: texts,
  enforceAvailableModels: flag,
  modelOverrides: z.record(z.string(), z.string()),
  advisorModel: text,
  effortLevel: z.enum(['low', 'medium', 'high', 'xhigh']),
  alwaysThinkingEnabled: flag,
  showThinkingSummaries: flag,
  fastMode: flag,
  fastModePerSessionOptIn: flag,
  autoCompactEnabled: flag,
  autoCompactWindow: z.number().int().min(100_000).max(1_000_000),
  enableAllProjectMcpServers: flag,
  enabledMcpjsonServers: texts,
  disabledMcpjsonServers: texts,
  allowedMcpServers: z.array(object),
  deniedMcpServers: z.array(object),
  allowManagedMcpServersOnly: flag,
  disableClaudeAiConnectors: flag,
  allowAllClaudeAiMcps: flag,
  hooks: object,
  disableAllHooks: flag,
  allowManagedHooksOnly: flag,
  allowedHttpHookUrls: texts,
  httpHookAllowedEnvVars: texts,
  allowManagedPermissionRulesOnly: flag,
  disableSkillShellExecution: flag,
  disableBundledSkills: flag,
  skillOverrides: object,
  statusLine: commandLine,
  subagentStatusLine: commandLine,
  enabledPlugins: z.record(z.string(), z.unknown()),
  extraKnownMarketplaces: object,
  strictKnownMarketplaces: z.array(z.unknown()),
  blockedMarketplaces: z.array(z.unknown()),
  disableSideloadFlags: flag,
  pluginSuggestionMarketplaces: texts,
  pluginConfigs: object,
  pluginTrustMessage: text,
  forceLoginMethod: z.enum(['claudeai', 'console', 'gateway']),
  forceLoginOrgUUID: z.union([text, texts]),
  forceRemoteSettingsRefresh: flag,
  outputStyle: text,
  language: text,
  skipWebFetchPreflight: flag,
  sandbox: object,
  worktree: object,
  spinnerTipsEnabled: flag,
  spinnerVerbs: object,
  spinnerTipsOverride: object,
  syntaxHighlightingDisabled: flag,
  terminalTitleFromRename: flag,
  promptSuggestionEnabled: flag,
  showClearContextOnPlanAccept: flag,
  agent: text,
  companyAnnouncements: texts,
  autoUpdatesChannel: z.enum(['latest', 'stable', 'rc']),
  minimumVersion: text,
  requiredMinimumVersion: text,
  requiredMaximumVersion: text,
  plansDirectory: text,
  prUrlTemplate: text,
  disableAutoMode: z.literal('disable'),
  disableRemoteControl: flag,
  disableAgentView: flag,
  disableWorkflows: flag,
  enableWorkflows: flag,
  claudeMd: text,
  claudeMdExcludes: texts,
  autoMemoryEnabled: flag,
  autoMemoryDirectory: text,
  feedbackSurveyRate: z.number().min(0).max(1),
  prefersReducedMotion: flag,
  verbose: flag,
  fileCheckpointingEnabled: flag,
  showTurnDuration: flag,
  showMessageTimestamps: flag,
  terminalProgressBarEnabled: flag,
  todoFeatureEnabled: flag,
  channelsEnabled: flag,
  wslInheritsWindowsSettings: flag,
};

export interface SettingsCheck {
  /** Problems that make Claude Code reject the document: the save is refused. */
  readonly errors: string[];
  /** Keys Claude Code does not know (typos, or newer than this list): saved, but said. */
  readonly warnings: string[];
}

/** Checks a managed-settings document against the catalogue. */
export function checkClaudeSettings(document: unknown): SettingsCheck {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return { errors: ['settings: must be a JSON object'], warnings: [] };
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(document)) {
    const schema = CLAUDE_SETTINGS[key];
    if (!schema) {
      warnings.push(`settings.${key}: not a Claude Code setting this gateway knows; it is sent as written`);
      continue;
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) errors.push(`settings.${[key, ...issue.path].join('.')}: ${issue.message}`);
    }
  }
  return { errors, warnings };
}
