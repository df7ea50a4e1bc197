/** The /admin/policies answers the Policies page reads (docs/admin-api.md#policies): the CLI client's types, one definition. */
import type { PolicyBody as PolicyChange } from '../../../../src/cli/policies-client.js';

export type { DriftStatus, PolicyMode, PolicyRecord, DriftRecord as DriftReport } from '../../../../src/cli/policies-client.js';

/** What the editor sends: every field, since it edits the whole policy. */
export type PolicyBody = Required<PolicyChange>;
