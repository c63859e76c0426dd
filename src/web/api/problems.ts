/** Turns a shop action's refusal into the one error model, worded in the caller's language. */
import type { ShopActionProblem } from "../../admin/actions.js";
import { AppError } from "../../errors.js";
import type { Translate } from "../i18n/index.js";

export function problemError(t: Translate, problem: ShopActionProblem): AppError {
  return new AppError(
    "CONFLICT",
    t(problem === "shop_paused" ? "admin.problem.paused" : "admin.problem.broken"),
  );
}

/** The actor an audit entry names for an API caller. */
export const actorOf = (caller: { kind: "operator" | "shop" }) =>
  caller.kind === "operator" ? "admin" : "shop";
