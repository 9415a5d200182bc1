import { describe, expect, it } from 'vitest';
import { buildMessageList } from '../../src/messages/build-message-list.js';
import type { MessageMode } from '../../src/types.js';
import { tinyInput } from './tiny-study.js';

// Hand-checked texts: every template (initial and recurring for 2+ absences, thank-you
// for 0 and 1) in every mode and both languages. Ana (en) missed 3 days and Luis (es)
// 2.5; Maya (en) 0 and Sofía (es) 1. The school average over the recurring window is
// (3 + 2.5 + 0 + 1 + 4 + 1.5) / 6 = 2 days, over all six students of both arms. The goal
// is 1: 20 weekdays follow 2025-09-12 without a calendar, and 1/20 is not under 5%.
function messagesFor(mode: MessageMode, language: 'en' | 'es'): string {
  const initial = buildMessageList(tinyInput('initial'), { mode }).messages;
  const recurring = buildMessageList(tinyInput('recurring'), { mode }).messages;
  return [...initial, ...recurring]
    .filter((m) => m.language === language && m.template !== 'thank_you')
    .concat(recurring.filter((m) => m.language === language && m.template === 'thank_you'))
    .map((m) => `[${m.template} ${m.student_id}]\n${m.message}`)
    .join('\n\n');
}

describe('built-in templates, English', () => {
  it('text', () => {
    expect(messagesFor('text', 'en')).toMatchInlineSnapshot(`
      "[initial S1]
      Elm Elementary: Ana has missed 3 days of school this year (since August 18). Goal for the next month: miss no more than 1 day. Every day counts. Questions or need help? Call (555) 010-2000.

      [recurring S1]
      Elm Elementary: Ana missed 3 days of school between September 13 and October 17. Over the same weeks, students at Elm Elementary missed 2 days on average. Every day counts. Questions or need help? Call (555) 010-2000.

      [thank_you S3]
      Elm Elementary: Thank you! Maya has not missed a single day of school since September 13. Every day in school makes a difference. Keep it up! Questions? Call (555) 010-2000."
    `);
  });
  it('email', () => {
    expect(messagesFor('email', 'en')).toMatchInlineSnapshot(`
      "[initial S1]
      Subject: Attendance update for Ana

      Dear caregiver of Ana,

      Ana has missed 3 days of school this year (since August 18). Goal for the next month: miss no more than 1 day.

      Every day of school counts: missing just two days a month adds up to about 10% of the school year, and students who miss that much can fall behind in reading and math.

      If anything is making it hard for Ana to get to school, we want to help. Please call us at (555) 010-2000. You can also reply to this email.

      Sincerely,
      Ms. Rivera, Attendance Coordinator
      Elm Elementary

      [recurring S1]
      Subject: Attendance update for Ana

      Dear caregiver of Ana,

      Ana missed 3 days of school between September 13 and October 17. Over the same weeks, students at Elm Elementary missed 2 days on average.

      Every day of school counts: missing just two days a month adds up to about 10% of the school year, and students who miss that much can fall behind in reading and math.

      If anything is making it hard for Ana to get to school, we want to help. Please call us at (555) 010-2000. You can also reply to this email.

      Sincerely,
      Ms. Rivera, Attendance Coordinator
      Elm Elementary

      [thank_you S3]
      Subject: Thank you from Elm Elementary

      Dear caregiver of Maya,

      Thank you! Maya has not missed a single day of school since September 13.

      Being in school every day makes a real difference in how much students learn. Please keep it up!

      If you ever have questions or need help, call us at (555) 010-2000 or reply to this email.

      Sincerely,
      Ms. Rivera, Attendance Coordinator
      Elm Elementary"
    `);
  });
  it('letter', () => {
    expect(messagesFor('letter', 'en')).toMatchInlineSnapshot(`
      "[initial S1]
      September 12, 2025

      Dear caregiver of Ana,

      Ana has missed 3 days of school this year (since August 18). Goal for the next month: miss no more than 1 day.

      Every day of school counts: missing just two days a month adds up to about 10% of the school year, and students who miss that much can fall behind in reading and math.

      If anything is making it hard for Ana to get to school, we want to help. Please call us at (555) 010-2000.

      Sincerely,

      Ms. Rivera, Attendance Coordinator
      Elm Elementary

      [recurring S1]
      October 17, 2025

      Dear caregiver of Ana,

      Ana missed 3 days of school between September 13 and October 17. Over the same weeks, students at Elm Elementary missed 2 days on average.

      Every day of school counts: missing just two days a month adds up to about 10% of the school year, and students who miss that much can fall behind in reading and math.

      If anything is making it hard for Ana to get to school, we want to help. Please call us at (555) 010-2000.

      Sincerely,

      Ms. Rivera, Attendance Coordinator
      Elm Elementary

      [thank_you S3]
      October 17, 2025

      Dear caregiver of Maya,

      Thank you! Maya has not missed a single day of school since September 13.

      Being in school every day makes a real difference in how much students learn. Please keep it up!

      If you ever have questions or need help, call us at (555) 010-2000.

      Sincerely,

      Ms. Rivera, Attendance Coordinator
      Elm Elementary"
    `);
  });
  it('robocall', () => {
    expect(messagesFor('robocall', 'en')).toMatchInlineSnapshot(`
      "[initial S1]
      Hello. This is a message from Elm Elementary for the family of Ana. Ana has missed 3 days of school this year (since August 18). Goal for the next month: miss no more than 1 day. Every day of school counts, and missed days add up fast. If anything is making it hard to get to school, we want to help. Please call us at (555) 010-2000. Again, our number is (555) 010-2000. Thank you, and goodbye.

      [recurring S1]
      Hello. This is a message from Elm Elementary for the family of Ana. Ana missed 3 days of school between September 13 and October 17. Over the same weeks, students at Elm Elementary missed 2 days on average. Every day of school counts: students who come every day learn more. If anything is making it hard to get to school, we want to help. Please call us at (555) 010-2000. Again, our number is (555) 010-2000. Thank you, and goodbye.

      [thank_you S3]
      Hello. This is a message from Elm Elementary for the family of Maya. Thank you! Maya has not missed a single day of school since September 13. Being in school every day makes a real difference. Please keep it up. If you ever need help, call us at (555) 010-2000. Again, our number is (555) 010-2000. Thank you, and goodbye."
    `);
  });
});

describe('built-in templates, Spanish', () => {
  it('text', () => {
    expect(messagesFor('text', 'es')).toMatchInlineSnapshot(`
      "[initial S2]
      Elm Elementary: Luis ha faltado 2,5 días a clases desde el 18 de agosto. Meta para el próximo mes: no faltar más de 1 día. Cada día cuenta. ¿Preguntas o necesita ayuda? Llame al (555) 010-2000.

      [recurring S2]
      Elm Elementary: Luis faltó 2,5 días a clases entre el 13 de septiembre y el 17 de octubre. En esas mismas semanas, los estudiantes de Elm Elementary faltaron 2 días en promedio. Cada día cuenta. ¿Preguntas o necesita ayuda? Llame al (555) 010-2000.

      [thank_you S4]
      Elm Elementary: ¡Gracias! Sofía ha faltado solo 1 día a clases desde el 13 de septiembre. Cada día en la escuela hace la diferencia. ¡Sigan así! ¿Preguntas? Llame al (555) 010-2000."
    `);
  });
  it('email', () => {
    expect(messagesFor('email', 'es')).toMatchInlineSnapshot(`
      "[initial S2]
      Asunto: Asistencia de Luis

      Estimada familia de Luis:

      Luis ha faltado 2,5 días a clases desde el 18 de agosto. Meta para el próximo mes: no faltar más de 1 día.

      Cada día de clases cuenta: faltar solo dos días al mes suma casi un 10 % del año escolar, y los estudiantes que faltan tanto pueden atrasarse en lectura y matemáticas.

      Si algo le está dificultando a Luis venir a la escuela, queremos ayudar. Llámenos al (555) 010-2000. También puede responder a este correo.

      Atentamente,
      Ms. Rivera, Attendance Coordinator
      Elm Elementary

      [recurring S2]
      Asunto: Asistencia de Luis

      Estimada familia de Luis:

      Luis faltó 2,5 días a clases entre el 13 de septiembre y el 17 de octubre. En esas mismas semanas, los estudiantes de Elm Elementary faltaron 2 días en promedio.

      Cada día de clases cuenta: faltar solo dos días al mes suma casi un 10 % del año escolar, y los estudiantes que faltan tanto pueden atrasarse en lectura y matemáticas.

      Si algo le está dificultando a Luis venir a la escuela, queremos ayudar. Llámenos al (555) 010-2000. También puede responder a este correo.

      Atentamente,
      Ms. Rivera, Attendance Coordinator
      Elm Elementary

      [thank_you S4]
      Asunto: Un agradecimiento de Elm Elementary

      Estimada familia de Sofía:

      ¡Gracias! Sofía ha faltado solo 1 día a clases desde el 13 de septiembre.

      Venir a la escuela todos los días hace una gran diferencia en lo que aprenden los estudiantes. ¡Sigan así!

      Si alguna vez tiene preguntas o necesita ayuda, llámenos al (555) 010-2000 o responda a este correo.

      Atentamente,
      Ms. Rivera, Attendance Coordinator
      Elm Elementary"
    `);
  });
  it('letter', () => {
    expect(messagesFor('letter', 'es')).toMatchInlineSnapshot(`
      "[initial S2]
      12 de septiembre de 2025

      Estimada familia de Luis:

      Luis ha faltado 2,5 días a clases desde el 18 de agosto. Meta para el próximo mes: no faltar más de 1 día.

      Cada día de clases cuenta: faltar solo dos días al mes suma casi un 10 % del año escolar, y los estudiantes que faltan tanto pueden atrasarse en lectura y matemáticas.

      Si algo le está dificultando a Luis venir a la escuela, queremos ayudar. Llámenos al (555) 010-2000.

      Atentamente,

      Ms. Rivera, Attendance Coordinator
      Elm Elementary

      [recurring S2]
      17 de octubre de 2025

      Estimada familia de Luis:

      Luis faltó 2,5 días a clases entre el 13 de septiembre y el 17 de octubre. En esas mismas semanas, los estudiantes de Elm Elementary faltaron 2 días en promedio.

      Cada día de clases cuenta: faltar solo dos días al mes suma casi un 10 % del año escolar, y los estudiantes que faltan tanto pueden atrasarse en lectura y matemáticas.

      Si algo le está dificultando a Luis venir a la escuela, queremos ayudar. Llámenos al (555) 010-2000.

      Atentamente,

      Ms. Rivera, Attendance Coordinator
      Elm Elementary

      [thank_you S4]
      17 de octubre de 2025

      Estimada familia de Sofía:

      ¡Gracias! Sofía ha faltado solo 1 día a clases desde el 13 de septiembre.

      Venir a la escuela todos los días hace una gran diferencia en lo que aprenden los estudiantes. ¡Sigan así!

      Si alguna vez tiene preguntas o necesita ayuda, llámenos al (555) 010-2000.

      Atentamente,

      Ms. Rivera, Attendance Coordinator
      Elm Elementary"
    `);
  });
  it('robocall', () => {
    expect(messagesFor('robocall', 'es')).toMatchInlineSnapshot(`
      "[initial S2]
      Hola. Le llamamos de Elm Elementary con un mensaje para la familia de Luis. Luis ha faltado 2,5 días a clases desde el 18 de agosto. Meta para el próximo mes: no faltar más de 1 día. Cada día de clases cuenta, y las faltas se acumulan rápido. Si algo le está dificultando venir a la escuela, queremos ayudar. Por favor, llámenos al (555) 010-2000. Le repito el número: (555) 010-2000. Gracias, y que tenga un buen día.

      [recurring S2]
      Hola. Le llamamos de Elm Elementary con un mensaje para la familia de Luis. Luis faltó 2,5 días a clases entre el 13 de septiembre y el 17 de octubre. En esas mismas semanas, los estudiantes de Elm Elementary faltaron 2 días en promedio. Cada día de clases cuenta: quienes vienen todos los días aprenden más. Si algo le está dificultando venir a la escuela, queremos ayudar. Por favor, llámenos al (555) 010-2000. Le repito el número: (555) 010-2000. Gracias, y que tenga un buen día.

      [thank_you S4]
      Hola. Le llamamos de Elm Elementary con un mensaje para la familia de Sofía. ¡Gracias! Sofía ha faltado solo 1 día a clases desde el 13 de septiembre. Venir a la escuela todos los días hace una gran diferencia. Por favor, sigan así. Si alguna vez necesita ayuda, llámenos al (555) 010-2000. Le repito el número: (555) 010-2000. Gracias, y que tenga un buen día."
    `);
  });
});

describe('optional lines and households', () => {
  it('adds the special-circumstances line, short in texts and in full elsewhere', () => {
    const text = buildMessageList(tinyInput('initial'), { mode: 'text', specialCircumstances: true }).messages;
    const email = buildMessageList(tinyInput('initial'), { mode: 'email', specialCircumstances: true }).messages;
    expect(text.map((m) => m.message).join('\n\n')).toMatchInlineSnapshot(`
      "Elm Elementary: Ana has missed 3 days of school this year (since August 18). Goal for the next month: miss no more than 1 day. Every day counts. If your child is sick, keep them home and let us know. Questions or need help? Call (555) 010-2000.

      Elm Elementary: Luis ha faltado 2,5 días a clases desde el 18 de agosto. Meta para el próximo mes: no faltar más de 1 día. Cada día cuenta. Si su hijo o hija está enfermo, que se quede en casa y avísenos. ¿Preguntas o necesita ayuda? Llame al (555) 010-2000.

      Elm Elementary: Thank you! Maya has not missed a single day of school since August 18. Every day in school makes a difference. Keep it up! If your child is sick, keep them home and let us know. Questions? Call (555) 010-2000.

      Elm Elementary: ¡Gracias! Sofía ha faltado solo 1 día a clases desde el 18 de agosto. Cada día en la escuela hace la diferencia. ¡Sigan así! Si su hijo o hija está enfermo, que se quede en casa y avísenos. ¿Preguntas? Llame al (555) 010-2000."
    `);
    expect(email.find((m) => m.student_id === 'S2')!.message).toMatchInlineSnapshot(`
      "Asunto: Asistencia de Luis

      Estimada familia de Luis:

      Luis ha faltado 2,5 días a clases desde el 18 de agosto. Meta para el próximo mes: no faltar más de 1 día.

      Cada día de clases cuenta: faltar solo dos días al mes suma casi un 10 % del año escolar, y los estudiantes que faltan tanto pueden atrasarse en lectura y matemáticas.

      Por supuesto, si un estudiante tiene fiebre o una enfermedad contagiosa, debe quedarse en casa; por favor, avísenos cuando eso pase.

      Si algo le está dificultando a Luis venir a la escuela, queremos ayudar. Llámenos al (555) 010-2000. También puede responder a este correo.

      Atentamente,
      Ms. Rivera, Attendance Coordinator
      Elm Elementary"
    `);
  });

  it('names each treated child once in a household message, with the average said once', () => {
    const input = tinyInput('recurring');
    const students = input.students.map((s) => (s.student_id === 'S3' ? { ...s, household_id: 'H1' } : s));
    const list = buildMessageList({ ...input, students }, { mode: 'text', per: 'household' });
    const household = list.messages.find((m) => m.household_id === 'H1')!;
    expect(household.student_id).toBe('S1;S3');
    expect(household.absences).toBe('3;0');
    expect(household.template).toBe('recurring');
    expect(household.message).toMatchInlineSnapshot(
      `"Elm Elementary: Ana missed 3 days of school between September 13 and October 17. Maya has not missed a single day of school since September 13. Over the same weeks, students at Elm Elementary missed 2 days on average. Every day counts. Questions or need help? Call (555) 010-2000."`,
    );
  });
});
