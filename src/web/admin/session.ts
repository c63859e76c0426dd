/**
 * The admin session cookie: its own name (never the shop's), SameSite=Strict, and the short
 * expiry of src/admin/sessions.ts. The database side lives there; this file only moves the cookie.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import {
  ADMIN_SESSION_MAX_MS,
  type AdminSession,
  createAdminSession,
  deleteAdminSession,
  findAdminSession,
} from "../../admin/sessions.js";
import type { Config } from "../../config.js";
import type { Db } from "../../db/client.js";
import { cookieIsSecure } from "../session.js";

export interface AdminSessionDeps {
  db: Db;
  config: Pick<Config, "publicUrl" | "TRUST_PROXY">;
}

export function adminCookieName(config: AdminSessionDeps["config"]): string {
  return cookieIsSecure(config) ? "__Host-bridge_admin" : "bridge_admin";
}

/** Signs the operator in: any session this browser had is dropped, a new one is issued. */
export async function signInAdmin(deps: AdminSessionDeps, c: Context): Promise<AdminSession> {
  await signOutAdmin(deps, c);
  const { token, session } = await createAdminSession(deps.db);
  setCookie(c, adminCookieName(deps.config), token, {
    path: "/",
    httpOnly: true,
    sameSite: "Strict",
    secure: cookieIsSecure(deps.config),
    maxAge: Math.floor(ADMIN_SESSION_MAX_MS / 1000),
  });
  return session;
}

export async function readAdminSession(
  deps: AdminSessionDeps,
  c: Context,
): Promise<AdminSession | undefined> {
  const token = getCookie(c, adminCookieName(deps.config));
  return token ? findAdminSession(deps.db, token) : undefined;
}

export async function signOutAdmin(deps: AdminSessionDeps, c: Context): Promise<void> {
  const name = adminCookieName(deps.config);
  const token = getCookie(c, name);
  if (!token) return;
  await deleteAdminSession(deps.db, token);
  deleteCookie(c, name, { path: "/", secure: cookieIsSecure(deps.config) });
}
