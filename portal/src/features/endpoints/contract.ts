/**
 * The endpoint and routing wire types this page uses, under the names its modules read: the
 * server's own declared shapes (src/cli/admin-types.ts), so the page cannot drift from the API.
 */
export type {
  EndpointCheck as ValidationCheck,
  EndpointCheckReport as ValidationReport,
  EndpointModel as DiscoveredModel,
  EndpointQuota as ServiceQuota,
  EndpointQuotas as QuotaReport,
  RoutingOverviewRecord as RoutingOverview,
  RoutingRecord as RoutingView,
  SetRoutingInput as RoutingBody,
} from '../../api/types.js';
export type RoutingStrategy = import('../../api/types.js').RoutingRecord['strategy'];
