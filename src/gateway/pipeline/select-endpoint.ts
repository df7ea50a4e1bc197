/**
 * Stage 4, select endpoint: the caller's route (their team's endpoints and strategy, or the
 * default routing) narrowed to the endpoints that serve the model, in failover order. None left
 * is the caller's error, naming the model and the team (src/routing/router.ts).
 */
import type { Principal } from '../../identity/authenticator.js';
import type { Router, RoutedEndpoint } from '../../routing/router.js';
import type { ClientCall } from './client-format.js';

export function selectEndpoints(router: Router, principal: Principal, call: ClientCall): Promise<readonly RoutedEndpoint[]> {
  return router.candidates(principal, call.model);
}
