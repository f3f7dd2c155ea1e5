import { Router, type Response } from 'express';
import { requireAdministrator } from '../../auth/guards.js';
import { field, fields, queryParam } from '../../http/form.js';
import type { Message, MessageKey } from '../../i18n/index.js';
import { fromSettings, problems, SCREENS, toSettings, zoneChoices, type FormValues, type Screen } from '../../services/settings-screens.js';
import type { AdminDeps } from './index.js';

/** What the browser sent: text as typed, a checkbox as whether it came at all. */
const fromForm = (screen: Screen, body: unknown): FormValues => ({
  ...Object.fromEntries(screen.texts.map((key) => [key, field(body, key)])),
  ...Object.fromEntries([...screen.checkboxes, ...screen.toggles.map((t) => t.box)].map((key) => [key, fields(body, key).length > 0])),
  ...Object.fromEntries(screen.toggles.map(({ setting }) => [setting, field(body, setting)])),
});

export function settingsRouter({ services: { settings }, publicUrl }: AdminDeps): Router {
  const router = Router();
  router.use('/settings', requireAdministrator);

  const render = (res: Response, screen: Screen, status: number, values: FormValues, errors: Record<string, Message>, notice?: Message) =>
    res.status(status).render(screen.view, {
      values,
      errors,
      notice,
      problem: Object.keys(errors).length > 0 ? ('admin.settings.notSaved' satisfies MessageKey) : undefined,
      timeZones: typeof values.timeZone === 'string' ? zoneChoices(values.timeZone) : [],
      startedUrl: publicUrl,
    });

  for (const screen of SCREENS) {
    router.get(screen.path, (req, res) =>
      render(res, screen, 200, fromSettings(screen, settings.get()), {}, queryParam(req, 'saved') ? 'admin.settings.saved' : undefined));

    router.post(screen.path, (req, res) => {
      const values = fromForm(screen, req.body);
      const errors = problems(screen, values, settings);
      if (Object.keys(errors).length > 0) return render(res, screen, 422, values, errors);
      // Checked just above against the same schema, so this stores every value.
      settings.update(toSettings(screen, values));
      res.redirect(303, `${req.baseUrl}${screen.path}?saved=1`);
    });
  }
  return router;
}
