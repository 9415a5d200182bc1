import type { LanguageTemplates } from './language-templates.js';
import { localeFormatters } from './language-templates.js';

const f = localeFormatters('es');
const days = (n: number) => `${f.number(n)} ${n === 1 ? 'día' : 'días'}`;

// The same components as the English templates, written as Spanish-speaking families
// are addressed by US schools: "usted", "Estimada familia de ..." (the usual salutation
// for "Dear caregiver of ..."), a colon after the salutation, and "10 %" with a space.
const WHY =
  'Cada día de clases cuenta: faltar solo dos días al mes suma casi un 10 % del año escolar, y los estudiantes que faltan tanto pueden atrasarse en lectura y matemáticas.';
const HELP = 'Si algo le está dificultando a {student_name} venir a la escuela, queremos ayudar. Llámenos al {school_phone}.';

const letter = (closing: string) =>
  `{date}\n\nEstimada familia de {student_name}:\n\n{facts}\n\n${WHY}\n\n{special_circumstances}\n\n${closing}\n\nAtentamente,\n\n{signature}`;
const email = (closing: string) =>
  `Estimada familia de {student_name}:\n\n{facts}\n\n${WHY}\n\n{special_circumstances}\n\n${closing}\n\nAtentamente,\n{signature}`;

/** Spanish templates (US Spanish-speaking families). */
export const SPANISH: LanguageTemplates = {
  language: 'es',
  subjectLabel: 'Asunto',
  facts: {
    initial: '{student_name} ha faltado {days_missed} a clases desde el {period_start}.',
    recurring: '{student_name} faltó {days_missed} a clases entre el {period_start} y el {period_end}.',
    thank_you: '{student_name} {absence_phrase} desde el {period_start}.',
  },
  followUp: {
    initial: 'Meta para el próximo mes: no faltar más de {goal}.',
    recurring: 'En esas mismas semanas, los estudiantes {average_where} faltaron {average} en promedio.',
    thank_you: '',
  },
  templates: {
    initial: {
      text: {
        body: '{school_name}: {facts} Cada día cuenta. {special_circumstances} ¿Preguntas o necesita ayuda? Llame al {school_phone}.',
      },
      email: { subject: 'Asistencia de {student_name}', body: email(`${HELP} También puede responder a este correo.`) },
      letter: { body: letter(HELP) },
      robocall: {
        body: 'Hola. Le llamamos de {school_name} con un mensaje para la familia de {student_name}. {facts} Cada día de clases cuenta, y las faltas se acumulan rápido. {special_circumstances} Si algo le está dificultando venir a la escuela, queremos ayudar. Por favor, llámenos al {school_phone}. Le repito el número: {school_phone}. Gracias, y que tenga un buen día.',
      },
    },
    recurring: {
      text: {
        body: '{school_name}: {facts} Cada día cuenta. {special_circumstances} ¿Preguntas o necesita ayuda? Llame al {school_phone}.',
      },
      email: { subject: 'Asistencia de {student_name}', body: email(`${HELP} También puede responder a este correo.`) },
      letter: { body: letter(HELP) },
      robocall: {
        body: 'Hola. Le llamamos de {school_name} con un mensaje para la familia de {student_name}. {facts} Cada día de clases cuenta: quienes vienen todos los días aprenden más. {special_circumstances} Si algo le está dificultando venir a la escuela, queremos ayudar. Por favor, llámenos al {school_phone}. Le repito el número: {school_phone}. Gracias, y que tenga un buen día.',
      },
    },
    thank_you: {
      text: {
        body: '{school_name}: ¡Gracias! {facts} Cada día en la escuela hace la diferencia. ¡Sigan así! {special_circumstances} ¿Preguntas? Llame al {school_phone}.',
      },
      email: {
        subject: 'Un agradecimiento de {school_name}',
        body: 'Estimada familia de {student_name}:\n\n¡Gracias! {facts}\n\nVenir a la escuela todos los días hace una gran diferencia en lo que aprenden los estudiantes. ¡Sigan así!\n\n{special_circumstances}\n\nSi alguna vez tiene preguntas o necesita ayuda, llámenos al {school_phone} o responda a este correo.\n\nAtentamente,\n{signature}',
      },
      letter: {
        body: '{date}\n\nEstimada familia de {student_name}:\n\n¡Gracias! {facts}\n\nVenir a la escuela todos los días hace una gran diferencia en lo que aprenden los estudiantes. ¡Sigan así!\n\n{special_circumstances}\n\nSi alguna vez tiene preguntas o necesita ayuda, llámenos al {school_phone}.\n\nAtentamente,\n\n{signature}',
      },
      robocall: {
        body: 'Hola. Le llamamos de {school_name} con un mensaje para la familia de {student_name}. ¡Gracias! {facts} Venir a la escuela todos los días hace una gran diferencia. Por favor, sigan así. {special_circumstances} Si alguna vez necesita ayuda, llámenos al {school_phone}. Le repito el número: {school_phone}. Gracias, y que tenga un buen día.',
      },
    },
  },
  specialCircumstances: {
    full: 'Por supuesto, si un estudiante tiene fiebre o una enfermedad contagiosa, debe quedarse en casa; por favor, avísenos cuando eso pase.',
    short: 'Si su hijo o hija está enfermo, que se quede en casa y avísenos.',
  },
  days,
  absencePhrase: (n) => (n === 0 ? 'no ha faltado ni un solo día a clases' : `ha faltado solo ${days(n)} a clases`),
  shortDate: f.shortDate,
  longDate: f.longDate,
  list: f.list,
  averageWhere: (name) => `de ${name}`,
};
