// A page that throws (or a lazy chunk that fails to load after a redeploy) shows a message, not a white screen.
import { Component, type ReactNode } from 'react';
import { Button } from 'antd';
import { Outcome } from '../components/Outcome.js';
import { common } from '../i18n/index.js';

interface Props {
  children: ReactNode;
  /** Changing it (the route) clears the error. */
  resetKey: string;
}
interface State {
  error: Error | null;
  key: string;
}

export class PageErrorBoundary extends Component<Props, State> {
  state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  render() {
    if (!this.state.error) return this.props.children;
    const chunk = /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(this.state.error.message);
    return (
      <Outcome
        code={common.loadFailed}
        text={chunk ? common.chunkFailed : this.state.error.message}
        action={
          <Button type="primary" onClick={() => window.location.reload()}>
            {common.reloadPage}
          </Button>
        }
      />
    );
  }
}
