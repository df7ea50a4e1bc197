/**
 * Notifications (spec §8, §10): the one destination — a webhook, an Amazon SNS topic or an
 * Amazon EventBridge bus — that receives every gateway event (budget alerts, rate limits) from
 * the outbox in the background; the workflow configure → save as draft → test delivery →
 * activate; the outbox; and the delivery history.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { CodeBlock } from '../../components/CodeBlock.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { Section } from '../../components/Section.js';
import { ActiveCard, DraftCard } from './DestinationCards.js';
import { DeliveryHistory } from './DeliveryHistory.js';
import { DestinationForm } from './DestinationForm.js';
import { everyText, resourcePolicy } from './notification-logic.js';
import { OutboxSection } from './OutboxSection.js';
import { useNotifications, useRefreshNotifications } from './queries.js';
import type { NotificationsState } from './types.js';
import { WorkflowSteps } from './WorkflowSteps.js';

function HowItWorks({ state }: { state: NotificationsState }) {
  // For the topic or bus being set up, once there is one.
  const configured = state.draft ?? state.active;
  const policy = resourcePolicy(configured);
  return (
    <Section id="notifications-how" title="How it works">
      <div className="prose">
        <p>
          Events wait in an outbox and go out in the background {everyText(state.interval_seconds)}, so no request waits for a delivery. One that fails is
          retried with growing delays, then marked failed. Each event is a JSON document with its type, severity, user, team and details; <Link to="/budget-alerts">Budget alerts</Link>{' '}
          lists the budget events.
        </p>
        <ul>
          <li>
            <strong>Webhook</strong>: an HTTPS POST, signed with HMAC-SHA256 in <code>x-ccag-signature</code>.
          </li>
          <li>
            <strong>Amazon SNS</strong>: publishes to a topic; the gateway’s credentials need <code>sns:Publish</code>.
          </li>
          <li>
            <strong>Amazon EventBridge</strong>: puts events on a bus; the gateway’s credentials need <code>events:PutEvents</code>.
          </li>
        </ul>
        <p>
          Bring your own SNS topic or EventBridge bus: add a resource policy to it that lets the gateway’s task role publish. The task role’s ARN is an output
          of the AWS deployment.
        </p>
      </div>
      {policy ? (
        <details className="method">
          <summary>The resource policy for this {configured?.type === 'sns' ? 'topic' : 'bus'}</summary>
          <CodeBlock code={policy} label="Resource policy for the gateway task role" />
        </details>
      ) : null}
    </Section>
  );
}

function Notifications({ state }: { state: NotificationsState }) {
  const refresh = useRefreshNotifications();
  const [secret, setSecret] = useState<string>();
  const formKey = state.draft?.updated_at ?? state.active?.updated_at ?? 'new';
  return (
    <>
      <HowItWorks state={state} />
      <Section id="notifications-workflow" title="Set up" description="Change or deactivate the destination at any time; no restart or redeploy needed.">
        <WorkflowSteps state={state} />
      </Section>
      <div className="grid grid-2">
        <ActiveCard active={state.active} intervalSeconds={state.interval_seconds} onChanged={refresh} />
        <DraftCard draft={state.draft} hasActive={state.active !== null} onChanged={refresh} />
      </div>
      <Section
        id="notifications-configure"
        title={state.draft ? 'Edit the draft' : state.active ? 'Change the destination' : 'Configure a destination'}
        description="Saving stores the draft only: nothing is sent to it until it passes a test and you activate it."
      >
        {secret ? (
          <SecretOnce secret={secret} label="webhook signing secret" stored="encrypted">
            <p>Give it to the receiver: it checks each request’s x-ccag-signature with it, and rejects a request whose x-ccag-timestamp is over five minutes old.</p>
          </SecretOnce>
        ) : null}
        <DestinationForm
          key={formKey}
          state={state}
          onSaved={async (saved) => {
            setSecret(saved.signing_secret);
            await refresh();
          }}
        />
      </Section>
      <OutboxSection state={state} onChanged={refresh} />
      <DeliveryHistory hasDestination={state.draft !== null || state.active !== null} />
    </>
  );
}

export default function NotificationsPage() {
  const notifications = useNotifications();
  return (
    <>
      <PageHeader
        title="Notifications"
        description={`One destination receives every gateway event: budget alerts and rate limits${notifications.data ? `, delivered ${everyText(notifications.data.interval_seconds)}` : ''}. A webhook, an Amazon SNS topic or an Amazon EventBridge bus.`}
      />
      {notifications.isPending ? <Loading /> : notifications.isError ? <ErrorMessage error={notifications.error} title="Could not load the notification settings" /> : <Notifications state={notifications.data} />}
    </>
  );
}
