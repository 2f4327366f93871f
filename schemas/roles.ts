/**
 * The four roles a normalized ChatML conversation may use, as a plain list: schemas/chatml.ts builds its zod enum
 * from it, and code that only needs the names (the audit's --roles-to-train check) reads it here without loading zod,
 * which is a large part of a small audit's start-up.
 */
export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
