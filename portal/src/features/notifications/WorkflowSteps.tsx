/** configure → save as draft → test delivery → activate, each step with where this gateway stands. */
import { STEP_STATE_LABEL, workflowSteps } from './notification-logic.js';
import type { NotificationsState } from './types.js';

const STATE_BADGE = { done: 'badge badge-ok', current: 'badge badge-warn', failed: 'badge badge-danger', waiting: 'badge' } as const;

export function WorkflowSteps({ state }: { state: NotificationsState }) {
  return (
    <ol className="workflow-steps" aria-label="Workflow">
      {workflowSteps(state).map((step, index) => (
        <li key={step.title} className={`workflow-step workflow-step-${step.state}`} aria-current={step.state === 'current' || step.state === 'failed' ? 'step' : undefined}>
          <span className="workflow-step-number" aria-hidden="true">
            {index + 1}
          </span>
          <span className="workflow-step-text">
            <strong>{step.title}</strong> <span className={STATE_BADGE[step.state]}>{STEP_STATE_LABEL[step.state]}</span>
            <span className="workflow-step-note">{step.note}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
