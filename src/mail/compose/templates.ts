// Message texts: the pool's Cognito message customisation when set, else todoku's
// defaults in Japanese and English. Placeholders are Cognito's: `{####}` (the code or
// temporary password) and `{username}`.

export type MailKind = 'SIGN_UP' | 'RESEND' | 'FORGOT_PASSWORD' | 'VERIFY_ATTRIBUTE' | 'INVITATION';

/** A pool's message customisation, as Cognito's UserPoolType carries it. */
export interface MessageSettings {
  VerificationMessageTemplate?: { EmailMessage?: string; EmailSubject?: string };
  EmailVerificationMessage?: string;
  EmailVerificationSubject?: string;
  AdminCreateUserConfig?: { InviteMessageTemplate?: { EmailMessage?: string; EmailSubject?: string } };
  /** todoku extension: language of the default message texts. */
  DefaultLanguage?: 'ja' | 'en';
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface DefaultText {
  subject: string;
  body: string;
}

// Bilingual by default: most todoku users' recipients read Japanese, the rest English.
const DEFAULTS: Record<'ja' | 'en', Record<MailKind, DefaultText>> = {
  ja: {
    SIGN_UP: { subject: '確認コード', body: '確認コードは {####} です。' },
    RESEND: { subject: '確認コード', body: '確認コードは {####} です。' },
    FORGOT_PASSWORD: { subject: 'パスワード再設定コード', body: 'パスワード再設定の確認コードは {####} です。' },
    VERIFY_ATTRIBUTE: { subject: '確認コード', body: 'メールアドレス確認のコードは {####} です。' },
    INVITATION: { subject: '仮パスワードのお知らせ', body: 'ユーザー名は {username}、仮パスワードは {####} です。' },
  },
  en: {
    SIGN_UP: { subject: 'Your verification code', body: 'Your verification code is {####}.' },
    RESEND: { subject: 'Your verification code', body: 'Your verification code is {####}.' },
    FORGOT_PASSWORD: { subject: 'Your password reset code', body: 'Your password reset code is {####}.' },
    VERIFY_ATTRIBUTE: { subject: 'Your verification code', body: 'Your verification code is {####}.' },
    INVITATION: { subject: 'Your temporary password', body: 'Your username is {username} and temporary password is {####}.' },
  },
};

function customText(settings: MessageSettings, kind: MailKind): { subject?: string | undefined; body?: string | undefined } {
  if (kind === 'INVITATION') {
    const t = settings.AdminCreateUserConfig?.InviteMessageTemplate;
    return { subject: t?.EmailSubject, body: t?.EmailMessage };
  }
  // Cognito uses the verification template for sign-up, resend, reset and attribute codes.
  const t = settings.VerificationMessageTemplate;
  return {
    subject: t?.EmailSubject ?? settings.EmailVerificationSubject,
    body: t?.EmailMessage ?? settings.EmailVerificationMessage,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fill(template: string, values: { code: string; username: string }, escape: (s: string) => string): string {
  return template.split('{####}').join(escape(values.code)).split('{username}').join(escape(values.username));
}

export function renderMail(settings: MessageSettings, kind: MailKind, values: { code: string; username: string }): RenderedMail {
  const custom = customText(settings, kind);
  const language = settings.DefaultLanguage;
  if (custom.body !== undefined || custom.subject !== undefined) {
    const fallback = DEFAULTS[language ?? 'en'][kind];
    const body = custom.body ?? fallback.body;
    const subject = custom.subject ?? fallback.subject;
    // Cognito's custom messages may contain HTML tags; the text part gets them stripped.
    const htmlBody = fill(body, values, escapeHtml);
    return {
      subject: fill(subject, values, (s) => s),
      text: fill(body, values, (s) => s).replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, ''),
      html: `<!doctype html><html><body>${htmlBody}</body></html>`,
    };
  }
  const langs: ('ja' | 'en')[] = language ? [language] : ['ja', 'en'];
  const parts = langs.map((l) => DEFAULTS[l][kind]);
  const subject = parts.map((p) => p.subject).join(' / ');
  const text = parts.map((p) => fill(p.body, values, (s) => s)).join('\n\n') + '\n';
  const html =
    '<!doctype html><html><body>' +
    parts.map((p, i) => `<p lang="${langs[i]}">${fill(p.body, values, escapeHtml)}</p>`).join('') +
    '</body></html>';
  return { subject, text, html };
}
