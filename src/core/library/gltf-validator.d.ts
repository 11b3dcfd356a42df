// gltf-validator ships no type declarations; this covers the part the library uses.
declare module 'gltf-validator' {
  export interface ValidationMessage {
    code: string;
    message: string;
    /** 0 error, 1 warning, 2 info, 3 hint. */
    severity: number;
    pointer?: string;
    offset?: number;
  }

  export interface ValidationResource {
    pointer: string;
    mimeType?: string;
    storage?: string;
    uri?: string;
    byteLength?: number;
    image?: { width: number; height: number; format?: string; bits?: number };
  }

  export interface ValidationReport {
    mimeType?: string;
    validatorVersion: string;
    issues: {
      numErrors: number;
      numWarnings: number;
      numInfos: number;
      numHints: number;
      messages: ValidationMessage[];
      truncated: boolean;
    };
    info?: {
      version?: string;
      generator?: string;
      resources?: ValidationResource[];
      materialCount?: number;
      totalVertexCount?: number;
      totalTriangleCount?: number;
    };
  }

  export interface ValidationOptions {
    uri?: string;
    format?: 'glb' | 'gltf';
    externalResourceFunction?: (uri: string) => Promise<Uint8Array>;
    writeTimestamp?: boolean;
    maxIssues?: number;
    ignoredIssues?: string[];
    onlyIssues?: string[];
    severityOverrides?: Record<string, number>;
  }

  export function validateBytes(data: Uint8Array, options?: ValidationOptions): Promise<ValidationReport>;
  export function validateString(json: string, options?: ValidationOptions): Promise<ValidationReport>;
  export function version(): string;
  export function supportedExtensions(): string[];
}
