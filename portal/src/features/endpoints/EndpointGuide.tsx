/**
 * What an operator needs to know before adding endpoints: what one is, how its credentials work
 * (and why an external id), the IAM permissions with a policy to copy, and how routing interacts
 * with Bedrock's prompt cache. Team routing strategies are explained here; their controls come
 * with the routing work.
 */
import { CodeBlock } from '../../components/CodeBlock.js';
import { Section } from '../../components/Section.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';
import { BEDROCK_PERMISSIONS, iamPolicyJson, trustPolicyJson, type BedrockPermission } from './iam-policy.js';

const TRUST_POLICY = trustPolicyJson('arn:aws:iam::<gateway-account-id>:role/<gateway-role>', '<external id>');

const PERMISSION_COLUMNS: SimpleColumn<BedrockPermission>[] = [
  { header: 'Actions', mono: true, render: (permission) => permission.actions.join(', ') },
  { header: 'Needed', render: (permission) => (permission.required ? 'Required' : 'Optional') },
  { header: 'For', render: (permission) => permission.purpose },
];

export function EndpointGuide() {
  return (
    <>
      <div className="grid grid-2">
        <Section id="about-endpoints" title="What an endpoint is">
          <div className="prose">
            <p>
              An endpoint is one upstream the gateway sends Claude Code's requests to: an Amazon Bedrock runtime in one account and region, or the Anthropic API, each
              with its own credentials. For every request the gateway picks an endpoint from the team's routing strategy, the endpoints' priority and their health.
              Several endpoints pool quota across accounts or regions.
            </p>
            <p>
              A Bedrock endpoint's <strong>routing prefix</strong> picks the cross-region inference profile for model ids (<code>us.</code>, <code>eu.</code>,{' '}
              <code>apac.</code>, <code>global.</code>, …); left empty, the region decides.
            </p>
          </div>
        </Section>
        <Section id="routing" title="Routing and prompt caching">
          <div className="prose">
            <p>
              Bedrock keeps the model's state for a prompt prefix it has just seen. Reading that cache costs <strong>0.1×</strong> the input price (90% off); writing
              it costs <strong>1.25×</strong> for the 5-minute cache, or <strong>2×</strong> for the 1-hour cache available from Claude 4.5 on. The 5-minute cache
              is sliding: every hit keeps it alive for another five minutes.
            </p>
            <p>
              Claude Code resends a large, stable prefix with every request (system prompt, tool definitions, the conversation so far), so a cache hit saves most of
              a request's input cost, and a miss pays to write the prefix again. The cache lives in one account and region: a user who stays on one endpoint keeps
              hitting it.
            </p>
            <ul>
              <li>
                <strong>Sticky user</strong> (the default) sends each user to the same healthy endpoint, so their cache keeps hitting; every replica agrees without
                sharing state.
              </li>
              <li>
                <strong>Round robin</strong> spreads each user's requests over all endpoints; each sees the prefix cold and writes it again, which can cost
                noticeably more than it saves in balance.
              </li>
              <li>
                <strong>Priority</strong> uses the first healthy endpoint in priority order and fails over down the list.
              </li>
              <li>
                <strong>Least utilized</strong> picks the endpoint with the most headroom, judged from throttling and rate-limit headers.
              </li>
            </ul>
            <p className="muted">Strategies are set per team under Routing above. Teams without their own routing use the default: priority over every enabled endpoint, the default endpoint first.</p>
          </div>
        </Section>
      </div>
      {/* Full width: the permissions table and the policies are wide. */}
      <Section id="credentials" title="Credentials">
        <div className="prose">
          <ul>
            <li>
              <strong>Default chain</strong>: the gateway's own AWS identity (task or instance role, environment variables, profile), refreshed as it rotates. Best
              when the gateway runs in the same account.
            </li>
            <li>
              <strong>Static keys</strong>: an IAM user's access key pair. Long-lived keys are the easiest to leak; prefer a role.
            </li>
            <li>
              <strong>Assume role</strong>: the gateway assumes a role in the account that holds the Bedrock quota. Give the role an <strong>external id</strong>: its
              trust policy then accepts the gateway only when it presents that id, which stops anyone else who can name the role from tricking a shared service
              into using it for them (the “confused deputy” problem).
            </li>
          </ul>
          <p>A trust policy for the role, with your gateway's role ARN and the endpoint's external id filled in:</p>
        </div>
        <CodeBlock code={TRUST_POLICY} label="Trust policy for an assumed role" />
        <p className="muted">Secrets (API keys, secret access keys, session tokens, external ids) are stored encrypted and never shown again.</p>
      </Section>
      <Section id="iam" title="Required IAM permissions" description="What the Bedrock credentials must be allowed to do.">
        <SimpleTable label="IAM permissions for a Bedrock endpoint" columns={PERMISSION_COLUMNS} rows={BEDROCK_PERMISSIONS} rowKey={(permission) => permission.sid} />
        <p className="field-hint">An IAM policy granting them, limited to Anthropic models and inference profiles:</p>
        <CodeBlock code={iamPolicyJson()} label="IAM policy for a Bedrock endpoint" />
      </Section>
    </>
  );
}
