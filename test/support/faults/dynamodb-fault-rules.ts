/**
 * The fault rules of the DynamoDB proxy, and the decision they make for one request: which
 * delay to add, and which fault, if any, answers it. Rates draw from a seeded generator, so
 * one seed gives the same faults on every run (for the same order of requests).
 *
 * @example
 * ```ts
 * const rules = faultRules([{ kind: "ThrottlingException", rate: 0.2 }], { seed: 7 });
 * rules.decide("TransactWriteItems"); // { latencyMs: 0, fault: undefined } four times in five
 * ```
 */
import { seededRandom } from "../seeded-random";
import type { DynamoErrorKind } from "./dynamodb-errors";

/** What a rule does to a request it fires on. */
export type DynamoFaultKind = DynamoErrorKind | "Latency" | "Drop";

/**
 * One fault rule. Every latency rule that fires adds its delay; of the other rules, the first
 * that fires decides the answer.
 *
 * @example
 * ```ts
 * const rule: DynamoFaultRule = { kind: "TransactionConflict", operations: ["TransactWriteItems"], times: 2 };
 * ```
 */
export interface DynamoFaultRule {
  readonly kind: DynamoFaultKind;
  /** Operations it applies to (`TransactWriteItems`, ...); every operation when absent. */
  readonly operations?: readonly string[];
  /** Tables it applies to: a request naming one of them; every table when absent. */
  readonly tables?: readonly string[];
  /** Chance of firing on a request it applies to, 0 to 1 (seeded); 1 when absent. */
  readonly rate?: number;
  /** Fires at most this many times; without limit when absent. */
  readonly times?: number;
  /** `Latency`: the delay before the request goes on to moto. */
  readonly latencyMs?: number;
  /**
   * Errors and drops: forward to moto first, then answer with the fault, so the write
   * happened and the caller never hears so (the ambiguous failure of a 500 or a reset).
   */
  readonly afterForwarding?: boolean;
  /** `TransactionConflict`: the positions of the items in conflict; the first by default. */
  readonly conflicting?: readonly number[];
}

/**
 * What the rules decided for one request.
 *
 * @example
 * ```ts
 * const { latencyMs, fault } = rules.decide("PutItem");
 * ```
 */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly fault: DynamoFaultRule | undefined;
}

/**
 * A set of rules that remembers how often each fired, and counts what it injected.
 *
 * @example
 * ```ts
 * rules.injected(); // { ThrottlingException: 3 }
 * ```
 */
export interface FaultRules {
  /** `tables`: the tables the request names (a rule with `tables` needs one of them). */
  decide(operation: string, tables?: readonly string[]): FaultDecision;
  replace(rules: readonly DynamoFaultRule[]): void;
  injected(): Partial<Record<DynamoFaultKind, number>>;
}

/**
 * Rules `rules`, rates drawn from `seed`.
 *
 * @example
 * ```ts
 * const rules = faultRules([{ kind: "Drop", operations: ["PutItem"], times: 1 }], { seed: 1 });
 * ```
 */
export const faultRules = (
  initial: readonly DynamoFaultRule[],
  { seed }: { readonly seed: number },
): FaultRules => {
  const draw = seededRandom(seed);
  let rules = [...initial];
  const fired = new Map<DynamoFaultRule, number>();
  const injected: Partial<Record<DynamoFaultKind, number>> = {};

  const fires = (rule: DynamoFaultRule, operation: string, tables: readonly string[]): boolean => {
    if (rule.operations !== undefined && !rule.operations.includes(operation)) return false;
    if (rule.tables !== undefined && !tables.some((table) => rule.tables?.includes(table)))
      return false;
    const times = fired.get(rule) ?? 0;
    if (rule.times !== undefined && times >= rule.times) return false;
    if (rule.rate !== undefined && draw(1_000_000) >= rule.rate * 1_000_000) return false;
    fired.set(rule, times + 1);
    injected[rule.kind] = (injected[rule.kind] ?? 0) + 1;
    return true;
  };

  return {
    decide(operation, tables = []) {
      let latencyMs = 0;
      let fault: DynamoFaultRule | undefined;
      for (const rule of rules) {
        // Once a fault is chosen, only delays still apply: a later fault rule is not drawn.
        if (rule.kind !== "Latency" && fault !== undefined) continue;
        if (!fires(rule, operation, tables)) continue;
        if (rule.kind === "Latency") latencyMs += rule.latencyMs ?? 0;
        else fault = rule;
      }
      return { latencyMs, fault };
    },
    replace(next) {
      rules = [...next];
    },
    injected: () => ({ ...injected }),
  };
};
