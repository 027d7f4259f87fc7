/** Turns text into unit-length vectors. Tests pass a real in-process one (the generated tiny model). */
export interface Embedder {
  /** Model id; stored in the index manifest so an index is only ever queried with its own model. */
  readonly modelId: string;
  /** Embeds passages for the index (adds the model's passage prefix). Vectors are unit length. */
  embedPassages(texts: readonly string[], onProgress?: (done: number) => void): Promise<Float32Array[]>;
  /** Embeds one question (adds the model's query prefix). */
  embedQuery(text: string): Promise<Float32Array>;
}
