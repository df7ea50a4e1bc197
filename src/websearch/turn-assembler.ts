/**
 * A streamed model turn put back together as content blocks, the way the Anthropic SDKs
 * accumulate a stream: the loop must send the turn back to the model as the assistant message
 * (thinking blocks with their signatures included, or Bedrock refuses the follow-up).
 */

type Json = Record<string, unknown>;

interface Building {
  block: Json;
  json: string;
}

export class TurnAssembler {
  private readonly building = new Map<number, Building>();

  start(index: number, block: Json): void {
    this.building.set(index, { block: { ...block }, json: '' });
  }

  delta(index: number, delta: Json): void {
    const entry = this.building.get(index);
    if (!entry) return;
    const { block } = entry;
    switch (delta.type) {
      case 'text_delta':
        block.text = String(block.text ?? '') + String(delta.text ?? '');
        break;
      case 'thinking_delta':
        block.thinking = String(block.thinking ?? '') + String(delta.thinking ?? '');
        break;
      case 'signature_delta':
        block.signature = delta.signature;
        break;
      case 'input_json_delta':
        entry.json += String(delta.partial_json ?? '');
        break;
      case 'citations_delta':
        block.citations = [...(Array.isArray(block.citations) ? block.citations : []), delta.citation];
        break;
    }
  }

  stop(index: number): void {
    const entry = this.building.get(index);
    if (!entry || entry.json === '') return;
    try {
      entry.block.input = JSON.parse(entry.json);
    } catch {
      // A cut-off input stays as it started; the model's follow-up sees an empty call.
    }
  }

  /** The turn's blocks in index order. */
  blocks(): Json[] {
    return [...this.building.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry.block);
  }
}
