// The console's sign-in screen: the shared form, starting the console, with the console's notices
// (a session that expired says so there).
import { startConsole } from '../state/session.ts';
import { useStore } from '../state/store.ts';
import { Notices } from './Notices.tsx';
import { SignInForm } from './SignInForm.tsx';

export function SignIn() {
  const brand = useStore((s) => s.brand);
  return (
    <SignInForm brand={brand} onSignedIn={startConsole}>
      <Notices />
    </SignInForm>
  );
}
