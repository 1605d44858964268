import { useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { ApiError, type FieldErrors } from '../api/errors';
import { signUp, startSignIn } from '../session';

type Tab = 'signin' | 'register';

/** Props of a labelled input with its own error message. */
interface FieldProps {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value: string;
  onInput: (value: string) => void;
  autocomplete: string;
  error?: string | undefined;
  hint?: string;
}

function Field({ id, label, type = 'text', value, onInput, autocomplete, error, hint }: FieldProps) {
  // Preact's types narrow `role` per input type; these three all allow the default role.
  const inputType = type as 'text';
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id.replace(/^\w+-/, '')}
        type={inputType}
        value={value}
        autocomplete={autocomplete}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onInput={(e) => {
          onInput(e.currentTarget.value);
        }}
      />
      {hint ? (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function messageOf(e: unknown): string {
  return e instanceof ApiError ? e.message : 'Something went wrong. Try again.';
}

function SignInForm({ api, error: initialError }: { api: ApiClient; error: string | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(initialError);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      location.assign(await startSignIn(api));
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="tab-signin">
      <p class="hint">You sign in on Hubbub’s sign-in page, the same one the phone apps use, then come straight back here.</p>
      {error ? (
        <p class="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {busy ? 'Opening the sign-in page…' : 'Sign in'}
      </button>
    </form>
  );
}

function RegisterForm({ api, onSignedIn }: { api: ApiClient; onSignedIn: (token: string) => void }) {
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      onSignedIn(await signUp(api, { username: username.trim(), email: email.trim(), password }));
    } catch (err) {
      const known = ['username', 'email', 'password'];
      if (err instanceof ApiError && known.some((f) => err.fieldError(f))) {
        setFields(err.fields);
        // Send the keyboard user to the first field that needs fixing.
        const first = known.find((f) => err.fieldError(f));
        formRef.current?.querySelector<HTMLInputElement>(`#register-${first ?? 'username'}`)?.focus();
        const others = Object.keys(err.fields).filter((f) => !known.includes(f));
        setError(others.length > 0 ? err.message : null);
      } else {
        setError(messageOf(err));
      }
      setBusy(false);
    }
  };

  const fieldError = (name: string) => fields[name]?.join(' ');
  return (
    <form ref={formRef} onSubmit={(e) => void submit(e)} aria-labelledby="tab-register" noValidate>
      <Field
        id="register-username"
        label="Username"
        value={username}
        onInput={setUsername}
        autocomplete="username"
        hint="Letters, numbers and underscores."
        error={fieldError('username')}
      />
      <Field id="register-email" label="Email" type="email" value={email} onInput={setEmail} autocomplete="email" error={fieldError('email')} />
      <Field
        id="register-password"
        label="Password"
        type="password"
        value={password}
        onInput={setPassword}
        autocomplete="new-password"
        hint="At least 8 characters."
        error={fieldError('password')}
      />
      {error ? (
        <p class="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {busy ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  );
}

/** Sign in and register, as two tabs; `error` tells why the last sign-in did not finish. */
export function AuthScreen({ api, onSignedIn, error = null }: { api: ApiClient; onSignedIn: (token: string) => void; error?: string | null }) {
  const [tab, setTab] = useState<Tab>('signin');
  const tabs: { id: Tab; label: string }[] = [
    { id: 'signin', label: 'Sign in' },
    { id: 'register', label: 'Create account' },
  ];

  // Arrow keys move between tabs, as the ARIA tabs pattern expects.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const nextTab: Tab = e.key === 'Home' ? 'signin' : e.key === 'End' ? 'register' : tab === 'signin' ? 'register' : 'signin';
    setTab(nextTab);
    document.getElementById(`tab-${nextTab}`)?.focus();
  };

  return (
    <main id="main" class="auth">
      <h1 class="brand">Hubbub</h1>
      <p class="tagline">Your company’s conversation.</p>
      <div class="card">
        <div role="tablist" aria-label="Sign in or create an account" class="tabs" onKeyDown={onKeyDown}>
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => {
                setTab(t.id);
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {tab === 'signin' ? <SignInForm api={api} error={error} /> : <RegisterForm api={api} onSignedIn={onSignedIn} />}
        </div>
      </div>
    </main>
  );
}
