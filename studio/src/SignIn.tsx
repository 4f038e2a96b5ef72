// The branded sign-in page: email and password (POST /v1/auth/login), the problem's title and
// detail on failure (a wrong password, the throttle's 429, a suspended account).
import { useState } from 'react'
import { describe, type Problem } from './api'
import { expiredReason, signIn } from './auth'
import { useBranding } from './branding'

export function SignIn() {
  const b = useBranding()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | null>(expiredReason)
  return (
    <main className="signin">
      <form
        aria-labelledby="signin-title"
        onSubmit={async (e) => {
          e.preventDefault()
          setBusy(true)
          try {
            const p = await signIn(email, password)
            if (p) setProblem(p)
          } catch (err) {
            setProblem({ type: 'about:blank', title: 'Could not reach the server', detail: String(err), status: 0, code: 'network' })
          } finally {
            setBusy(false)
          }
        }}
      >
        {b.logo_url ? <img className="logo" src={b.logo_url} alt={b.product_name} /> : <div className="logo-text" aria-hidden>{b.product_name}</div>}
        <h1 id="signin-title">Sign in to {b.product_name} Studio</h1>
        <label>Email <input name="email" value={email} onChange={(e) => setEmail(e.target.value)} type="email" autoComplete="username" required autoFocus /></label>
        <label>Password <input name="password" value={password} onChange={(e) => setPassword(e.target.value)} type="password" autoComplete="current-password" required /></label>
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        {problem && <p role="alert" className="problem">{describe(problem)}</p>}
        {(b.support_email || b.support_url) && (
          <p className="help">Help: {b.support_url ? <a href={b.support_url}>{b.support_url}</a> : null} {b.support_email ? <a href={`mailto:${b.support_email}`}>{b.support_email}</a> : null}</p>
        )}
        {b.powered_by && <p className="powered">Powered by Voxflow</p>}
      </form>
    </main>
  )
}
