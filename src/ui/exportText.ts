import { quoteName, quoteUserText } from './messages';
import { fileSizeText } from '../domain/exportFile';
import type { ISurveyExportResult } from '../domain/surveyReport';
import type { UploadRefusal } from '../domain/uploadRules';
import type { Translator } from '../i18n/translate';

/**
 * Why the server's rules stopped an export, naming the setting and what the admin can do;
 * `room` is the room the admin named, shown safely.
 */
export function exportRefusalReason(
	refusal: UploadRefusal,
	room: string | undefined,
	t: Translator,
): string {
	const roomText = quoteName(`#${room ?? ''}`);
	switch (refusal.kind) {
		case 'uploads-off':
			return t('export_reason_uploads_off');
		case 'direct-off':
			return t('export_reason_direct_off');
		case 'csv-refused':
			return t('export_reason_csv_refused');
		case 'limit-below-header':
			return t('export_reason_limit_below_header', {
				limit: fileSizeText(refusal.limit),
				smallest: fileSizeText(refusal.smallest),
			});
		case 'too-large':
			return t('export_reason_too_large');
		case 'direct-encrypted':
			return t('export_reason_direct_encrypted');
		case 'room-encrypted':
			return t('export_reason_room_encrypted', { room: roomText });
		case 'room-unknown':
			return t('export_reason_room_unknown', { room: roomText });
		case 'room-no-access':
			return t('export_reason_room_no_access', { room: roomText });
		case 'room-read-only':
			return t('export_reason_room_read_only', { room: roomText });
		case 'app-prevented':
			return t('export_reason_app_prevented', { reason: quoteUserText(refusal.reason) });
	}
}

/** The admin's reply to an export a server rule stopped, before any file or after `parts` files. */
export function exportRefusalText(
	refusal: UploadRefusal,
	parts: number,
	room: string | undefined,
	t: Translator,
): string {
	const reason = exportRefusalReason(refusal, room, t);
	return parts === 0
		? t('export_blocked', { reason })
		: t('export_blocked_after', { parts, reason });
}

/**
 * What the surveys' part of an export came to: nothing without surveys, else the files and
 * answers, and the survey an answer too large for any file stopped it at.
 */
export function surveyExportText(result: ISurveyExportResult, size: string, t: Translator): string {
	if (result.stoppedAt !== undefined) {
		return t('export_surveys_stopped', {
			surveys: result.surveys,
			answers: result.answers,
			files: result.files,
			survey: quoteName(result.stoppedAt),
		});
	}
	return result.surveys === 0
		? ''
		: t('export_surveys_done', {
				surveys: result.surveys,
				answers: result.answers,
				files: result.files,
				size,
			});
}
