import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Me } from '@dora/domain';
import { DomainError } from '../../common/errors.js';
import type { RequestContext } from '../../common/request-context.js';
import { TokenBuckets } from '../../common/token-buckets.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Transactions } from '../../database/transactions.js';
import { type AuditAction, AuditRepository } from '../audit/audit.repository.js';
import { hashPassword, PasswordHasher } from './password.js';
import type { Membership, SessionPrincipal } from '../../access/principals.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

/** The session cookie: `__Host-` prefixed when served over https, so the browser binds it to this very origin. */
export function sessionCookieOf(config: Pick<AppConfig, 'publicUrl'>): { name: string; secure: boolean } {
  const secure = config.publicUrl?.startsWith('https:') ?? false;
  return { name: secure ? '__Host-dora_session' : 'dora_session', secure };
}

const WRONG_CREDENTIALS = 'The email or the password is wrong';

@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Auth');
  /** Sign-in attempts per client address. */
  private readonly attemptsPerIp = new TokenBuckets({ capacity: 30, perMinute: 30 });
  /**
   * Failed sign-ins per email and client address, whether or not the email belongs to a user, refilled
   * over 15 minutes. Counted per address, so that someone failing elsewhere cannot lock the owner out.
   */
  private readonly failuresPerAccountAndIp: TokenBuckets;
  /** The ceiling per email over all addresses (a guessing attack spread over many), refilled over an hour. */
  private readonly failuresPerAccount: TokenBuckets;
  /** Checked when no user has the email, so that both answers take as long. */
  private unknownUserHash: Promise<string> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: Transactions,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly passwords: PasswordHasher,
  ) {
    const { perAddress, perAccount } = config.signInFailures;
    this.failuresPerAccountAndIp = new TokenBuckets({ capacity: perAddress, perMinute: perAddress / 15 });
    this.failuresPerAccount = new TokenBuckets({ capacity: perAccount, perMinute: perAccount / 60 });
  }

  /** Signs a user in: the cookie secret (shown only to the browser), and what the SPA needs. */
  async login(email: string, password: string, request: RequestContext): Promise<{ secret: string; me: Me }> {
    const ipWait = this.attemptsPerIp.take(request.ip ?? 'unknown');
    if (ipWait > 0) throw new DomainError('rate_limited', `Too many sign-in attempts from here; retry in ${ipWait} s`, undefined, ipWait);
    const account = email.trim().toLowerCase();
    const accountFromHere = `${account}\n${request.ip ?? 'unknown'}`;
    const accountWait = Math.max(this.failuresPerAccountAndIp.waitSeconds(accountFromHere), this.failuresPerAccount.waitSeconds(account));
    if (accountWait > 0) {
      throw new DomainError('rate_limited', `Too many failed sign-ins for this account; retry in ${accountWait} s`, undefined, accountWait);
    }

    const user = await this.transactions.acrossTenants('login', (tx) => this.users.findForLogin(tx, account));
    this.unknownUserHash ??= hashPassword(randomBytes(16).toString('hex'));
    const valid = await this.passwords.verify(password, user?.password_hash ?? (await this.unknownUserHash));
    if (!user || !valid) {
      this.failuresPerAccountAndIp.take(accountFromHere);
      this.failuresPerAccount.take(account);
      this.logger.warn(`failed sign-in for ${user ? `user ${user.id}` : 'an unknown email'} from ${request.ip}`);
      if (user) await this.recordForMemberships(user.id, 'auth.login.failed', request);
      throw new DomainError('unauthenticated', WRONG_CREDENTIALS);
    }

    const secret = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const memberships = await this.transactions.acrossTenants('login', async (tx) => {
      await this.sessions.insert(tx, {
        id: sessionId(secret),
        user_id: user.id,
        csrf_token: csrfToken,
        expires_at: new Date(Date.now() + this.config.sessionTtlMs),
      });
      await this.sessions.deleteExpired(tx);
      return this.sessions.memberships(tx, user.id);
    });
    await this.recordForMemberships(user.id, 'auth.login', request, memberships);
    return { secret, me: toMe({ userId: user.id, email: user.email, csrfToken, memberships }) };
  }

  /** The live session of a request's `Cookie` header, or `undefined`. */
  async fromCookie(header: string | undefined): Promise<SessionPrincipal | undefined> {
    const name = sessionCookieOf(this.config).name;
    for (const part of (header ?? '').split(';')) {
      const [key, ...value] = part.trim().split('=');
      if (key === name) return this.authenticate(value.join('='));
    }
    return undefined;
  }

  /** The live session of a cookie secret, or `undefined`. */
  async authenticate(secret: string): Promise<SessionPrincipal | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
    return this.transactions.acrossTenants('session lookup', async (tx) => {
      const session = await this.sessions.findLive(tx, sessionId(secret));
      if (!session) return undefined;
      return {
        kind: 'user' as const,
        userId: session.user_id,
        email: session.email,
        sessionId: session.id,
        csrfToken: session.csrf_token,
        memberships: await this.sessions.memberships(tx, session.user_id),
      };
    });
  }

  async logout(session: SessionPrincipal, request: RequestContext): Promise<void> {
    await this.transactions.acrossTenants('session lookup', (tx) => this.sessions.delete(tx, session.sessionId));
    await this.recordForMemberships(session.userId, 'auth.logout', request, session.memberships);
  }

  me(session: SessionPrincipal): Me {
    return toMe(session);
  }

  /** Mutating requests of a session carry its CSRF token in X-CSRF-Token. */
  checkCsrf(session: SessionPrincipal, presented: string | undefined): void {
    const expected = Buffer.from(session.csrfToken);
    const given = Buffer.from(presented ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DomainError('forbidden', 'Missing or wrong X-CSRF-Token header (GET /api/v1/auth/me gives it)');
    }
  }

  /** Sign-ins concern every org of the user: each org's audit log shows its members' sign-ins. */
  private async recordForMemberships(userId: string, action: AuditAction, request: RequestContext, known?: Membership[]): Promise<void> {
    const memberships = known ?? (await this.transactions.acrossTenants('login', (tx) => this.sessions.memberships(tx, userId)));
    for (const membership of memberships) {
      await this.transactions.inTenant(membership.tenant_id, (tx) =>
        this.audit.record(tx, { tenantId: membership.tenant_id, action, actor: { type: 'user', id: userId }, subject: { type: 'user', id: userId }, request }),
      );
    }
  }
}

function sessionId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function toMe(session: Pick<SessionPrincipal, 'userId' | 'email' | 'csrfToken' | 'memberships'>): Me {
  return {
    user: { id: session.userId, email: session.email },
    orgs: session.memberships.map(({ slug, name, role }) => ({ slug, name, role })),
    csrf_token: session.csrfToken,
  };
}
