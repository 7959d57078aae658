import { readFile } from 'node:fs/promises';
import {
  XmlDocument,
  XmlValidateError,
  XsdValidator,
  xmlRegisterInputProvider,
} from 'libxml2-wasm';
import { fsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';

// An XML parser independent of the code under test: libxml2 (the library
// behind xmllint), compiled to WebAssembly and installed by `npm ci`, so the
// tests need no system package. Schemas are read from files so that their
// xsd:include and xsd:import resolve next to them.

let isFileInputRegistered = false;
function registerFileInput(): void {
  if (!isFileInputRegistered) isFileInputRegistered = xmlRegisterInputProvider(fsInputProviders);
}

/** Parses `xml` (throws libxml2's error when it is not well-formed), runs `use`, then frees the document. */
export function withXmlDocument<T>(xml: string | Uint8Array, use: (doc: XmlDocument) => T): T {
  const doc = typeof xml === 'string' ? XmlDocument.fromString(xml) : XmlDocument.fromBuffer(xml);
  try {
    return use(doc);
  } finally {
    doc.dispose();
  }
}

/**
 * Validates `xml` against the XML Schema in `schemaFile`: resolves to
 * "validates" (xmllint's word), or rejects with every error libxml2 found.
 */
export async function validateWithSchema(xml: string, schemaFile: string): Promise<string> {
  registerFileInput();
  const schema = XmlDocument.fromBuffer(await readFile(schemaFile), { url: schemaFile });
  const validator = (() => {
    try {
      return XsdValidator.fromDoc(schema);
    } catch (error) {
      schema.dispose();
      throw error;
    }
  })();
  try {
    withXmlDocument(xml, (doc) => validator.validate(doc));
    return 'validates';
  } catch (error) {
    if (!(error instanceof XmlValidateError)) throw error;
    const problems = error.details.map((detail) => `line ${detail.line}: ${detail.message.trim()}`);
    throw new Error(`fails to validate against ${schemaFile}:\n${problems.join('\n')}`);
  } finally {
    validator.dispose();
    schema.dispose();
  }
}

/** The XPath 1.0 `expression` evaluated on the XML file at `file`, as text (as `xmllint --xpath` prints a number or a string). */
export async function xpathInFile(file: string, expression: string): Promise<string> {
  const bytes = await readFile(file);
  return withXmlDocument(bytes, (doc) => {
    const value = doc.eval(expression);
    if (Array.isArray(value)) {
      throw new Error(`XPath ${expression} selects nodes; wrap it in string() or count()`);
    }
    return String(value);
  });
}

/** Throws libxml2's parse error when the file at `file` is not well-formed XML. */
export async function checkWellFormed(file: string): Promise<void> {
  withXmlDocument(await readFile(file), () => undefined);
}
