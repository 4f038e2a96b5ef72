// Never a blank screen: a render error shows what went wrong (a ProblemError shows the API
// problem's title and detail) and a way back.
import { Component, type ReactNode } from 'react'
import { ProblemError } from './api'

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  state = { error: null as unknown }
  static getDerivedStateFromError(error: unknown) { return { error } }
  render() {
    const e = this.state.error
    if (!e) return this.props.children
    const p = e instanceof ProblemError ? e.problem : null
    return (
      <div role="alert" className="crash">
        <h1>{p ? p.title : 'Something went wrong'}</h1>
        <p>{p ? p.detail : e instanceof Error ? e.message : String(e)}</p>
        <button onClick={() => this.setState({ error: null })}>Try again</button>{' '}
        <button onClick={() => location.reload()}>Reload Studio</button>
      </div>
    )
  }
}
