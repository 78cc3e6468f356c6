// The partner portal's Reports page: its title and what it is for, and the site picker. The
// figures, charts and pickers it shares with the control panel keep their texts there
// (web/admin/src/i18n/reports/).
import { defineTexts } from './define.ts';

export const reportsTexts = defineTexts(
  {
    'page.reports': 'Reports',
    'reports.intro': 'Your customers’ chats across all your sites, or one site’s: how many came in, how fast they were answered, and what visitors said of them.',
    'reports.site': 'Site',
  },
  {
    'zh-CN': {
      'page.reports': '报表',
      'reports.intro': '您所有站点（或其中一个站点）的客户对话：进来了多少、多快得到回复，以及访客的评价。',
      'reports.site': '站点',
    },
    'zh-TW': {
      'page.reports': '報表',
      'reports.intro': '您所有網站（或其中一個網站）的客戶對話：進來了多少、多快得到回覆，以及訪客的評價。',
      'reports.site': '網站',
    },
    ru: {
      'page.reports': 'Отчёты',
      'reports.intro': 'Чаты ваших клиентов на всех ваших сайтах или на одном из них: сколько пришло, как быстро на них ответили и что о них сказали посетители.',
      'reports.site': 'Сайт',
    },
  },
);
