// Keeps one broken panel (e.g. the 3D viewer on a machine without WebGL) from blanking the app.
import { Component, type ReactNode } from 'react';

interface Props {
  fallback: (message: string, reset: () => void) => ReactNode;
  children: ReactNode;
  /** Changing this clears a caught error (e.g. another model was opened). */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  resetKey: unknown;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override render() {
    if (this.state.error) return this.props.fallback(this.state.error.message, () => this.setState({ error: null }));
    return this.props.children;
  }
}
