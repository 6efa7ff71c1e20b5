// fontkit (pdfkit's font engine) ships no types; the portal only parses a font file once with it.
declare module 'fontkit' {
  export interface Font {
    layout(text: string): unknown;
  }
  export function create(buffer: Buffer | Uint8Array): Font;
}
