// A paper read back with its answers: each question, the options in the order the person saw them
// (lettered by position), what they answered, the right answer, the marks and the explanation. The
// officer sees it once the exam has closed; the grader always, with the essays' mark inputs.
import type { ReactNode } from 'react';
import { exams as xt } from '../../i18n/index.js';
import { answerText, OPTION_KEYS, type PaperQuestion } from './shared.js';
import './exams.css';

const r = xt.review;

function chosenKeys(q: PaperQuestion): Set<string> {
  if (q.type === 'single' && typeof q.given === 'string') return new Set([q.given]);
  if (q.type === 'multiple' && Array.isArray(q.given)) return new Set(q.given as string[]);
  return new Set();
}

function rightKeys(q: PaperQuestion): Set<string> {
  if (q.type === 'single' && typeof q.answer === 'string') return new Set([q.answer]);
  if (q.type === 'multiple' && Array.isArray(q.answer)) return new Set(q.answer as string[]);
  return new Set();
}

/** full / partly / none / waiting (an essay not marked yet): the mark's colour and words. */
function verdict(q: PaperQuestion): { cls: string; text: string } {
  if (q.mark === null || q.mark === undefined) return { cls: 'waiting', text: q.type === 'essay' ? r.notMarked : r.noMark };
  if (q.mark >= q.points) return { cls: 'full', text: r.mark(q.mark, q.points) };
  if (q.mark > 0) return { cls: 'partly', text: r.mark(q.mark, q.points) };
  return { cls: 'none', text: r.mark(q.mark, q.points) };
}

export function PaperReview({ questions, markInput, label }: {
  questions: PaperQuestion[];
  /** The grader's mark control for an essay. */
  markInput?: (q: PaperQuestion) => ReactNode;
  label: string;
}) {
  return (
    <ol className="exam-paper review" aria-label={label}>
      {questions.map((q) => {
        const chosen = chosenKeys(q);
        const right = rightKeys(q);
        const v = verdict(q);
        return (
          <li key={q.id} className="exam-q" id={`review-${q.no}`}>
            <div className="exam-q-head">
              <span className="exam-q-no">{q.no}．</span>
              <span className="exam-q-type">{xt.taking.qType(q.typeLabel, q.points)}</span>
              <span className={`exam-mark ${v.cls}`}>{v.text}</span>
            </div>
            <p className="exam-q-stem">{q.stem}</p>
            {q.options.length ? (
              <ul className="exam-review-options">
                {q.options.map((o, i) => {
                  const isRight = right.has(o.key);
                  const isChosen = chosen.has(o.key);
                  return (
                    <li key={o.key} className={isRight ? 'right' : isChosen ? 'wrong' : undefined}>
                      <span className="exam-option-letter">{OPTION_KEYS[i]}．</span>
                      {o.text}
                      {isChosen ? <span className="exam-flag">{r.chosen}</span> : null}
                      {isRight ? <span className="exam-flag right">{r.rightOption}</span> : null}
                    </li>
                  );
                })}
              </ul>
            ) : null}
            <dl className="exam-facts">
              <dt>{r.given}</dt>
              <dd className="exam-pre">{answerText(q.type, q.given, q.options)}</dd>
              {q.answer !== undefined ? (
                <>
                  <dt>{q.type === 'essay' ? r.reference : r.answer}</dt>
                  <dd className="exam-pre">{answerText(q.type, q.answer, q.options)}</dd>
                </>
              ) : null}
              {q.explanation ? (
                <>
                  <dt>{r.explanation}</dt>
                  <dd className="exam-pre">{q.explanation}</dd>
                </>
              ) : null}
            </dl>
            {markInput && q.type === 'essay' ? markInput(q) : null}
          </li>
        );
      })}
    </ol>
  );
}
