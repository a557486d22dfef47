// Dates for the date pickers: dayjs in Chinese. Imported by the modules that show a date picker (not
// by the frame), so dayjs and its locale come only with them.
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

dayjs.locale('zh-cn');

export { dayjs };
