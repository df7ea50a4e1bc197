/** What the gateway does for Claude Code's web searches on Bedrock, how that differs from Anthropic's own, and what it means for privacy. */
import { Section } from '../../components/Section.js';

export function HowItWorks() {
  return (
    <>
      <Section id="web-search-how" title="How it works on Bedrock">
        <div className="prose">
          <p>
            Claude Code searches the web with Anthropic’s <code>web_search</code> server tool, which Bedrock does not have. When such a request goes to a Bedrock
            endpoint, the gateway replaces the tool with a regular one, runs each search the model asks for with the configured provider, and answers in the
            format Claude Code expects, as if Anthropic had searched. LiteLLM uses the same pattern. Requests to the Anthropic API keep the native tool.
          </p>
          <p>Differences from searching through the Anthropic API:</p>
          <ul>
            <li>
              <code>encrypted_content</code> in the results is a placeholder, not real encrypted page content. Claude Code still shows the titles and URLs.
            </li>
            <li>On Bedrock the model sees a regular tool definition in place of the server tool, so its searches are ordinary tool calls behind the scenes.</li>
            <li>Each search is billed at the gateway’s per-search price on top of the tokens of every model call the search loop makes.</li>
          </ul>
        </div>
      </Section>
      <p className="notice notice-warn">
        <strong>Privacy.</strong> Search queries can carry context from the conversation, such as names from the code being worked on. With sensitive code,
        choose a provider you trust with it.
      </p>
    </>
  );
}
