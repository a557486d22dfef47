// Date-range form fields: the picker gives dayjs values (the server takes YYYY-MM-DD).

import type { Dayjs } from 'dayjs';

export type DateRange = [Dayjs | null, Dayjs | null] | null | undefined;
