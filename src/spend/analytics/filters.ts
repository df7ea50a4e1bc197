/** What an analytics question is narrowed to (all optional; absent means everyone / everything). */
export interface AnalyticsFilters {
  readonly userId?: string | undefined;
  readonly teamId?: string | undefined;
  readonly model?: string | undefined;
  readonly endpointId?: string | undefined;
}

/** The filters as column conditions: the ledger and the usage rollups name these columns alike. */
export function filterColumns(filters: AnalyticsFilters): Array<['user_id' | 'team_id' | 'model' | 'endpoint_id', string]> {
  const columns: Array<['user_id' | 'team_id' | 'model' | 'endpoint_id', string | undefined]> = [
    ['user_id', filters.userId],
    ['team_id', filters.teamId],
    ['model', filters.model],
    ['endpoint_id', filters.endpointId],
  ];
  return columns.filter((entry): entry is ['user_id' | 'team_id' | 'model' | 'endpoint_id', string] => entry[1] !== undefined);
}
