"""Seed lessons for the learning library: original short courses for the demo and first installs.

Every lesson exists in English, French and Spanish under one translation group; the French and
Spanish versions are written for their readers rather than translated word for word. People and
companies in the case studies are invented.

The mentor-training collection follows the three golden rules of reverse mentoring: choose
mentors who master the tools, support them with material, and train them briefly so that they
take the right posture.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from dataclasses import dataclass
from typing import Literal

Level = Literal["discover", "deepen", "exploit"]
Language = Literal["en", "fr", "es"]


@dataclass(frozen=True)
class SeedChoice:
    text: str
    correct: bool


@dataclass(frozen=True)
class SeedQuestion:
    prompt: str
    kind: Literal["single", "multiple"]
    choices: tuple[SeedChoice, ...]
    explanation: str  # shown after answering


@dataclass(frozen=True)
class SeedLesson:
    group: str  # translation group: the same slug for the en/fr/es versions of one lesson
    language: Language
    level: Level
    topics: tuple[str, ...]  # skill slugs, the vocabulary challenges use
    title: str
    summary: str  # one or two sentences
    body: str  # Markdown
    task: str  # a reflection question (Markdown)
    case_study: str  # Markdown; invented people and companies
    questions: tuple[SeedQuestion, ...]
    pass_mark: int  # percent


@dataclass(frozen=True)
class SeedCollection:
    key: str
    title: dict[Language, str]
    description: dict[Language, str]
    lessons: tuple[str, ...]  # lesson groups, in order


def _md(text: str) -> str:
    """Lets the Markdown sit indented in the source and still start at column 0."""
    return textwrap.dedent(text).strip()


def _yes(text: str) -> SeedChoice:
    return SeedChoice(text, correct=True)


def _no(text: str) -> SeedChoice:
    return SeedChoice(text, correct=False)


# French sets a (narrow) no-break space before two-part punctuation, inside guillemets, before
# "%" and between thousands. The source keeps ordinary spaces so that it stays readable and
# greppable; these rules swap them so that a rendered line never breaks before a "?" or a ":",
# nor splits "1 500" in two.
_FRENCH_SPACING = (
    (re.compile(r" ([;?!])"), "\u202f\\1"),
    (re.compile(r" ([:%])"), "\u00a0\\1"),
    (re.compile(r"« "), "«\u00a0"),
    (re.compile(r" »"), "\u00a0»"),
    (re.compile(r"(\d) (\d{3})\b"), "\\1\u202f\\2"),
)


def _french_spacing(text: str) -> str:
    for pattern, replacement in _FRENCH_SPACING:
        text = pattern.sub(replacement, text)
    return text


def _typeset(lesson: SeedLesson) -> SeedLesson:
    if lesson.language != "fr":
        return lesson
    fix = _french_spacing
    questions = tuple(
        dataclasses.replace(
            question,
            prompt=fix(question.prompt),
            explanation=fix(question.explanation),
            choices=tuple(SeedChoice(fix(c.text), c.correct) for c in question.choices),
        )
        for question in lesson.questions
    )
    return dataclasses.replace(
        lesson,
        title=fix(lesson.title),
        summary=fix(lesson.summary),
        body=fix(lesson.body),
        task=fix(lesson.task),
        case_study=fix(lesson.case_study),
        questions=questions,
    )


_WRITTEN: tuple[SeedLesson, ...] = (
    # --- Mentor training 1: the right posture -------------------------------------------------
    SeedLesson(
        group="mentor-right-posture",
        language="en",
        level="discover",
        topics=("reverse_mentoring", "mentoring"),
        title="The mentor's posture: neither a coach, nor a sponsor, nor a boss",
        summary=(
            "What a reverse mentor is, what a reverse mentor is not, and the three golden rules "
            "that programmes which last are built on."
        ),
        body=_md(
            """
            ## Why posture comes first
            Reverse mentoring turns the usual direction of learning around: a colleague who is
            at ease with a tool helps a more experienced colleague who wants to use it. The
            arrangement only works when both people feel like equals who each bring something.
            Most pairs that fail do not fail on the tool; they fail because one person started
            to behave like a teacher grading a pupil, or like a manager.

            ## The three golden rules
            Programmes that keep going year after year tend to rest on three rules:

            1. **Choose mentors who master the tools.** Enthusiasm is welcome, but a mentor has
               to be able to show, not guess.
            2. **Give mentors educational support.** Short lessons, examples and checklists mean
               nobody has to improvise a course on a Tuesday evening.
            3. **Train mentors briefly.** A short training, such as this collection, helps them
               take the right posture from the very first meeting.

            ## Neither a coach, nor a sponsor, nor a boss
            - **Not a coach:** you are not there to work on your mentee's career or personal
              goals, only on the skills the two of you agreed to share.
            - **Not a sponsor:** you do not promote your mentee or speak for them to management.
            - **Not a boss:** you do not hand out work, judge performance or report to anyone's
              manager. There is never a reporting line between the two people in a pair.

            What you are instead is a guide who knows a tool well: you show, you let the other
            person try, and you stay patient while they fumble.

            ## Habits worth building
            Let your mentee keep the mouse and the keyboard. Explain why something is useful
            before explaining how to do it. Start each session by asking what they want to be
            able to do by the end of it. When you do not know an answer, say so and look it up
            together. And learn in return: your mentee has years of experience of clients,
            negotiations and the unwritten rules of the organisation, and most of them are glad
            to share it once they feel safe.
            """
        ),
        task=_md(
            """
            Think of someone who once taught you a tool or a skill. What did they do that put you
            at ease, and what would you do differently in their place?
            """
        ),
        case_study=_md(
            """
            At Brindlewood Logistics, a fictitious freight company, Yasmin, a 26-year-old data
            analyst, is paired with Gerald, who has run a regional depot for twenty years and
            wants to build his own dashboards.

            In the first two sessions Yasmin takes the keyboard and builds the dashboard herself
            while Gerald watches. He thanks her politely but cannot reproduce anything the next
            day. Worse, over coffee she tells her own team lead that "Gerald struggles with basic
            formulas". The remark travels, and Gerald cancels the third session.

            The programme lead meets Yasmin. Two things change: the keyboard belongs to the
            learner, and nothing about the mentee leaves the pair. They start again. Gerald
            drives, Yasmin guides, and at the end of each session Gerald writes down in his own
            words what he can now do.

            By the sixth session he shows his own dashboard at the depot meeting. Yasmin, for
            her part, has learned how depot managers actually read numbers, and has redesigned
            two of her team's reports as a result.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Which statement best describes a reverse mentor's role?",
                kind="single",
                choices=(
                    _no("A coach who works on the mentee's career plan"),
                    _no("A sponsor who argues for the mentee's next promotion"),
                    _yes("A guide who shares a skill they master, as an equal"),
                    _no("A temporary manager who sets the mentee's tasks"),
                ),
                explanation=(
                    "The mentor shares a skill and nothing more: no career coaching, no "
                    "sponsorship, no authority. That is what keeps the pair a meeting of equals."
                ),
            ),
            SeedQuestion(
                prompt="Which of these are the three golden rules of reverse mentoring?",
                kind="multiple",
                choices=(
                    _yes("Select mentors who master the tools"),
                    _yes("Give mentors educational support"),
                    _yes("Give mentors a short training on the right posture"),
                    _no("Pair each mentee with someone from their own reporting line"),
                    _no("Publish every pair's progress to the whole company"),
                ),
                explanation=(
                    "Selection, support and a short training are the three rules. Pairs never "
                    "share a reporting line, and progress is discussed within the pair, not "
                    "published."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Your mentee's manager stops you in the corridor and asks how your mentee is "
                    "getting on. What do you do?"
                ),
                kind="single",
                choices=(
                    _no("Give an honest score out of ten; the manager has a right to know"),
                    _yes(
                        "Say kindly that progress is discussed only within the pair, and suggest "
                        "asking the mentee directly"
                    ),
                    _no("Forward your session notes so that nothing is misunderstood"),
                ),
                explanation=(
                    "Reporting on your mentee would make you their judge, which is the boss "
                    "posture. Sending the question back to the mentee keeps them in charge of "
                    "what they share."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Halfway through a session you realise you do not know the answer. What is "
                    "the best move?"
                ),
                kind="single",
                choices=(
                    _no("Change the subject so that your credibility is not dented"),
                    _yes("Say you do not know and look it up together"),
                    _no("Give the most plausible answer and check it later"),
                ),
                explanation=(
                    "Looking it up together shows that not knowing is normal, and teaches the "
                    "most useful skill of all: how to find out."
                ),
            ),
        ),
        pass_mark=80,
    ),
    SeedLesson(
        group="mentor-right-posture",
        language="fr",
        level="discover",
        topics=("reverse_mentoring", "mentoring"),
        title="La posture du mentor : ni coach, ni parrain, ni chef",
        summary=(
            "Ce qu'est un mentor inversé, ce qu'il n'est pas, et les trois règles d'or sur "
            "lesquelles reposent les programmes qui durent."
        ),
        body=_md(
            """
            ## D'abord la posture
            Le mentorat inversé renverse le sens habituel de l'apprentissage : une personne à
            l'aise avec un outil aide un collègue plus expérimenté qui souhaite s'en servir. Cela
            ne fonctionne que si chacun se sent l'égal de l'autre et sait qu'il apporte quelque
            chose. Les binômes qui échouent butent rarement sur l'outil ; ils échouent parce que
            l'un des deux s'est mis à noter l'autre comme un professeur, ou à le diriger comme
            un manager.

            ## Les trois règles d'or
            Les programmes qui tiennent dans la durée s'appuient presque toujours sur trois
            règles :

            1. **Bien choisir des mentors qui maîtrisent les outils.** L'enthousiasme ne suffit
               pas : il faut pouvoir montrer, pas deviner.
            2. **Accompagner pédagogiquement les mentors.** Des leçons courtes, des exemples et
               des aide-mémoire évitent d'improviser un cours à la dernière minute.
            3. **Former brièvement les mentors.** Une courte formation, comme ce parcours, les
               aide à adopter la bonne posture dès la première rencontre.

            ## Ni coach, ni parrain, ni chef
            - **Pas un coach :** vous ne travaillez ni sur la carrière ni sur les objectifs
              personnels de votre mentoré, seulement sur les compétences convenues ensemble.
            - **Pas un parrain :** vous ne plaidez pas sa cause auprès de la direction.
            - **Pas un chef :** vous ne distribuez pas de travail, vous n'évaluez pas, vous ne
              rendez de comptes à aucun manager. Il n'existe jamais de lien hiérarchique entre
              les deux membres d'un binôme.

            Vous êtes un guide qui connaît bien un outil : vous montrez, vous laissez faire et
            vous restez patient pendant les tâtonnements.

            ## Quelques bons réflexes
            Laissez la souris et le clavier à votre mentoré. Expliquez pourquoi une fonction est
            utile avant de montrer comment s'en servir. Demandez en début de séance ce qu'il
            aimerait savoir faire à la fin. Si vous ignorez une réponse, dites-le et cherchez-la
            ensemble. Enfin, apprenez à votre tour : votre mentoré a des années d'expérience des
            clients, des négociations et des règles non écrites de l'entreprise, qu'il partage
            volontiers dès qu'il se sent en confiance.
            """
        ),
        task=_md(
            """
            Pensez à quelqu'un qui vous a appris un outil ou un savoir-faire. Qu'a-t-il fait pour
            vous mettre à l'aise, et qu'auriez-vous fait autrement à sa place ?
            """
        ),
        case_study=_md(
            """
            Chez Transports Vallorge, une entreprise de fret imaginaire, Yasmine, analyste de
            données de 26 ans, forme Gérard, responsable d'un dépôt régional depuis vingt ans,
            qui veut construire lui-même ses tableaux de bord.

            Pendant les deux premières séances, Yasmine prend le clavier et monte le tableau de
            bord pendant que Gérard regarde. Il la remercie poliment, mais le lendemain il ne
            sait rien refaire. Pire : à la machine à café, elle confie à sa propre responsable
            que « Gérard a du mal avec les formules de base ». La phrase circule, et Gérard
            annule la troisième séance.

            La responsable du programme reçoit Yasmine. Deux règles changent tout : le clavier
            appartient à celui qui apprend, et rien de ce qui concerne le mentoré ne sort du
            binôme. Ils recommencent. Gérard manipule, Yasmine guide, et à la fin de chaque
            séance Gérard note avec ses mots ce qu'il sait désormais faire.

            À la sixième séance, il présente son propre tableau de bord en réunion de dépôt.
            Yasmine, elle, a compris comment un chef de dépôt lit vraiment les chiffres, et a
            revu deux rapports de son équipe.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Quelle phrase décrit le mieux le rôle d'un mentor inversé ?",
                kind="single",
                choices=(
                    _no("Un coach qui travaille le plan de carrière du mentoré"),
                    _no("Un parrain qui défend la promotion du mentoré"),
                    _yes("Un guide qui partage, d'égal à égal, une compétence qu'il maîtrise"),
                    _no("Un manager temporaire qui fixe les tâches du mentoré"),
                ),
                explanation=(
                    "Le mentor partage une compétence, rien de plus : ni coaching de carrière, "
                    "ni parrainage, ni autorité. C'est ce qui fait du binôme une relation "
                    "d'égal à égal."
                ),
            ),
            SeedQuestion(
                prompt="Quelles sont les trois règles d'or du mentorat inversé ?",
                kind="multiple",
                choices=(
                    _yes("Bien choisir des mentors qui maîtrisent les outils"),
                    _yes("Accompagner pédagogiquement les mentors"),
                    _yes("Former brièvement les mentors à la bonne posture"),
                    _no("Associer chaque mentoré à quelqu'un de sa ligne hiérarchique"),
                    _no("Publier les progrès de chaque binôme dans toute l'entreprise"),
                ),
                explanation=(
                    "Sélection, accompagnement et courte formation : ce sont les trois règles. "
                    "Un binôme ne partage jamais de lien hiérarchique, et les progrès se "
                    "discutent entre ses deux membres, sans publicité."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Le manager de votre mentoré vous croise dans un couloir et vous demande où "
                    "il en est. Que faites-vous ?"
                ),
                kind="single",
                choices=(
                    _no("Vous donnez une note sur dix : le manager a le droit de savoir"),
                    _yes(
                        "Vous expliquez aimablement que les progrès restent dans le binôme et "
                        "l'invitez à poser la question à l'intéressé"
                    ),
                    _no("Vous lui transférez vos notes de séance pour éviter tout malentendu"),
                ),
                explanation=(
                    "Rendre compte de votre mentoré ferait de vous son évaluateur, donc son "
                    "chef. Renvoyer la question vers lui le laisse maître de ce qu'il partage."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "En pleine séance, vous vous rendez compte que vous ne connaissez pas la "
                    "réponse. Que faire ?"
                ),
                kind="single",
                choices=(
                    _no("Changer de sujet pour préserver votre crédibilité"),
                    _yes("Le dire et chercher la réponse ensemble"),
                    _no("Donner la réponse la plus plausible et vérifier plus tard"),
                ),
                explanation=(
                    "Chercher ensemble montre qu'il est normal de ne pas tout savoir et transmet "
                    "la compétence la plus utile : savoir trouver."
                ),
            ),
        ),
        pass_mark=80,
    ),
    SeedLesson(
        group="mentor-right-posture",
        language="es",
        level="discover",
        topics=("reverse_mentoring", "mentoring"),
        title="La actitud del mentor: ni coach, ni padrino, ni jefe",
        summary=(
            "Qué es un mentor inverso, qué no es, y las tres reglas de oro en las que se apoyan "
            "los programas que perduran."
        ),
        body=_md(
            """
            ## Primero, la actitud
            La mentoría inversa le da la vuelta al sentido habitual del aprendizaje: alguien que
            se mueve con soltura en una herramienta ayuda a un compañero con más trayectoria que
            quiere usarla. Solo funciona si los dos se sienten iguales y saben que cada uno
            aporta algo. Las parejas que fracasan casi nunca tropiezan con la herramienta;
            fracasan porque uno empezó a poner notas como un profesor o a dar órdenes como un
            jefe.

            ## Las tres reglas de oro
            Los programas que se mantienen año tras año suelen descansar en tres reglas:

            1. **Elegir bien a mentores que dominen las herramientas.** Las ganas ayudan, pero
               hay que saber enseñar, no adivinar.
            2. **Dar apoyo pedagógico a los mentores.** Lecciones breves, ejemplos y listas de
               comprobación evitan improvisar una clase a última hora.
            3. **Formar brevemente a los mentores.** Una formación corta, como este itinerario,
               les ayuda a adoptar la actitud adecuada desde el primer encuentro.

            ## Ni coach, ni padrino, ni jefe
            - **No es un coach:** no trabaja la carrera ni los objetivos personales de su
              mentorizado, solo las competencias que acordaron compartir.
            - **No es un padrino:** no defiende a su mentorizado ante la dirección.
            - **No es un jefe:** no reparte tareas, no evalúa y no informa a ningún responsable.
              Entre los dos miembros de una pareja nunca hay relación jerárquica.

            Lo que sí es: una guía que conoce bien una herramienta, que muestra, deja hacer y
            tiene paciencia mientras el otro se equivoca.

            ## Buenos hábitos
            Deje el ratón y el teclado a su mentorizado. Explique para qué sirve algo antes de
            explicar cómo se hace. Pregunte al empezar qué le gustaría saber hacer al terminar
            la sesión. Si no conoce una respuesta, dígalo y búsquenla juntos. Y aprenda usted
            también: su mentorizado tiene años de experiencia con clientes, negociaciones y las
            reglas no escritas de la empresa, y suele compartirla con gusto cuando se siente en
            confianza.
            """
        ),
        task=_md(
            """
            Piense en alguien que le enseñó una herramienta o una habilidad. ¿Qué hizo para que
            se sintiera cómodo, y qué habría hecho usted de otra manera?
            """
        ),
        case_study=_md(
            """
            En Logística Sierralta, una empresa de transporte ficticia, Lucía, analista de datos
            de 26 años, acompaña a Ramón, que dirige un almacén regional desde hace veinte años y
            quiere crear sus propios cuadros de mando.

            En las dos primeras sesiones Lucía coge el teclado y monta el cuadro de mando
            mientras Ramón mira. Él le da las gracias, pero al día siguiente no sabe repetir
            nada. Peor aún: en la pausa del café Lucía comenta a su propia jefa que «a Ramón le
            cuestan hasta las fórmulas básicas». El comentario corre, y Ramón cancela la tercera
            sesión.

            La responsable del programa habla con Lucía. Cambian dos cosas: el teclado es de
            quien aprende, y nada de lo que afecta al mentorizado sale de la pareja. Vuelven a
            empezar. Ramón maneja, Lucía guía, y al final de cada sesión Ramón apunta con sus
            palabras lo que ya sabe hacer.

            En la sexta sesión presenta su propio cuadro de mando en la reunión del almacén.
            Lucía, por su parte, ha entendido cómo lee de verdad las cifras un jefe de almacén, y
            ha rehecho dos informes de su equipo.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="¿Qué frase describe mejor el papel de un mentor inverso?",
                kind="single",
                choices=(
                    _no("Un coach que trabaja el plan de carrera del mentorizado"),
                    _no("Un padrino que defiende el ascenso del mentorizado"),
                    _yes("Una guía que comparte, de igual a igual, una competencia que domina"),
                    _no("Un jefe temporal que fija las tareas del mentorizado"),
                ),
                explanation=(
                    "El mentor comparte una competencia y nada más: ni coaching de carrera, ni "
                    "padrinazgo, ni autoridad. Eso es lo que mantiene la relación entre iguales."
                ),
            ),
            SeedQuestion(
                prompt="¿Cuáles son las tres reglas de oro de la mentoría inversa?",
                kind="multiple",
                choices=(
                    _yes("Elegir bien a mentores que dominen las herramientas"),
                    _yes("Dar apoyo pedagógico a los mentores"),
                    _yes("Formar brevemente a los mentores en la actitud adecuada"),
                    _no("Emparejar a cada mentorizado con alguien de su línea jerárquica"),
                    _no("Publicar los avances de cada pareja en toda la empresa"),
                ),
                explanation=(
                    "Selección, apoyo y una formación corta son las tres reglas. Una pareja "
                    "nunca comparte línea jerárquica, y los avances se hablan dentro de ella, "
                    "no se publican."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "La jefa de su mentorizado le para en el pasillo y le pregunta qué tal lo "
                    "lleva. ¿Qué hace?"
                ),
                kind="single",
                choices=(
                    _no("Le da una nota del uno al diez: tiene derecho a saberlo"),
                    _yes(
                        "Le explica con amabilidad que los avances se quedan en la pareja y le "
                        "sugiere preguntar al propio interesado"
                    ),
                    _no("Le reenvía sus notas de las sesiones para evitar malentendidos"),
                ),
                explanation=(
                    "Informar sobre su mentorizado le convertiría en su evaluador, es decir, en "
                    "su jefe. Devolver la pregunta al interesado le deja decidir qué comparte."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "A mitad de sesión se da cuenta de que no sabe la respuesta. ¿Qué es lo mejor?"
                ),
                kind="single",
                choices=(
                    _no("Cambiar de tema para no perder credibilidad"),
                    _yes("Reconocerlo y buscar la respuesta juntos"),
                    _no("Dar la respuesta más probable y comprobarla después"),
                ),
                explanation=(
                    "Buscar juntos demuestra que no saberlo todo es normal y enseña la habilidad "
                    "más útil de todas: saber encontrar."
                ),
            ),
        ),
        pass_mark=80,
    ),
    # --- Mentor training 2: confidentiality ---------------------------------------------------
    SeedLesson(
        group="mentor-confidentiality",
        language="en",
        level="deepen",
        topics=("reverse_mentoring", "mentoring"),
        title="What is said in the pair stays in the pair",
        summary=(
            "Confidentiality is what lets a mentee show what they do not know. What it covers, "
            "what it does not, and the everyday habits that keep it."
        ),
        body=_md(
            """
            ## Why confidentiality is the foundation
            Learning a tool in front of a younger colleague means showing, sometimes for the
            first time, what you cannot do. People only take that risk when they are sure their
            difficulties will not echo around the company. Many are also unsure what ends up
            "on record". Confidentiality is therefore not a courtesy added on top of mentoring;
            it is the condition that makes honest learning possible.

            The rule fits in one sentence, and it is worth saying out loud in the first session:
            **what is said in the pair stays in the pair.** It applies in both directions.

            ## What it covers
            - what your mentee finds hard, and the mistakes they make while learning;
            - anything they tell you about themselves, their team or their worries;
            - the notes and the journal you keep together;
            - your own opinion of how fast they are progressing.

            ## What it does not mean
            Confidentiality is not secrecy about the programme. You can say that you are a
            mentor, how often you meet and, if your mentee agrees, which tool you are working
            on. The line is simple: facts about the person stay in the pair. Programme leads
            arrange the pairs, but what happens inside them reaches leads only as figures about
            groups large enough that nobody can be picked out: never a person's answers, never
            the pair's notes.

            There is one limit. If you learn that someone's safety is at risk, talk with your
            mentee about who should be told, and contact the programme lead or the appropriate
            service. That situation is rare; say so plainly if it arises rather than carrying it
            alone.

            ## Habits that keep the promise
            - Agree on the rule together at the start, and invite your mentee to hold you to it.
            - Ask before repeating anything from a session, even something flattering.
            - Keep notes in the pair's journal, not in a team chat or a shared folder.
            - Stop sharing your screen before you open your own messages.
            - When a manager asks how your mentee is doing, send the question back to the
              mentee, kindly and without detail.
            """
        ),
        task=_md(
            """
            Where do you usually write down notes about colleagues, and who else can open that
            place? What would you change before your first session?
            """
        ),
        case_study=_md(
            """
            At Orchard & Pike, a fictitious insurer, Bernard, a 61-year-old claims expert, is
            learning a collaborative whiteboard with Ines, a 24-year-old designer.

            In the third session Bernard admits that he has been avoiding video meetings for
            months because he never knows whether he is muted, and that the coming
            reorganisation worries him. Ines writes "practise mute and unmute before meetings"
            in the pair's journal, and nothing about the reorganisation.

            A week later Ines's own manager, who knows Bernard, asks with a grin how "the old
            guard" is coping. Ines answers that the sessions are going well and that anything
            more is Bernard's to tell. When Bernard hears, through his own manager, that the
            mentoring "seems to go smoothly, but Ines won't say a word", he relaxes visibly.

            At the next session he arrives with a list of five things he has always been too
            embarrassed to ask. Ines, in turn, asks how he prepares for difficult client calls,
            and they agree to spend half of every session on it.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Why is confidentiality so central to reverse mentoring?",
                kind="single",
                choices=(
                    _no("Because the existence of the programme must stay secret"),
                    _yes(
                        "Because the mentee must feel free to show what they do not know "
                        "without it echoing around the company"
                    ),
                    _no("Because managers are not allowed to talk about training"),
                ),
                explanation=(
                    "Learning means showing gaps. A mentee who fears that their gaps will be "
                    "repeated will hide them, and then nothing gets learned. The programme "
                    "itself is not secret."
                ),
            ),
            SeedQuestion(
                prompt="Which of these stay inside the pair?",
                kind="multiple",
                choices=(
                    _yes("The difficulties your mentee mentions"),
                    _yes("The notes in the pair's journal"),
                    _yes("Your opinion of how fast your mentee is progressing"),
                    _no("The fact that you take part in the programme as a mentor"),
                ),
                explanation=(
                    "Everything about the person stays in the pair, including your own "
                    "judgement of their progress. Being a mentor is not a secret: you can say "
                    "that you take part."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "You want to tell your team a funny moment from last session that shows how "
                    "much your mentee has improved. What should you do?"
                ),
                kind="single",
                choices=(
                    _no("Tell it: it is flattering, so there is no harm"),
                    _yes("Ask your mentee first, and tell it only if they are happy with it"),
                    _no("Tell it without the name; your team will not guess who it is"),
                ),
                explanation=(
                    "Even a flattering story is theirs to share. Leaving out the name rarely "
                    "helps: colleagues usually know who mentors whom."
                ),
            ),
            SeedQuestion(
                prompt="What can a programme lead see of what happens inside your pair?",
                kind="single",
                choices=(
                    _no("The pair's journal, so that they can step in early"),
                    _no("Each person's check-in answers, to spot struggling pairs"),
                    _yes("Figures about groups large enough that nobody can be picked out"),
                ),
                explanation=(
                    "Leads know who is paired with whom, since they run the matching, but they "
                    "steer the programme with aggregates only. The journal and personal answers "
                    "belong to the two members of the pair."
                ),
            ),
        ),
        pass_mark=80,
    ),
    SeedLesson(
        group="mentor-confidentiality",
        language="fr",
        level="deepen",
        topics=("reverse_mentoring", "mentoring"),
        title="Ce qui se dit dans le binôme reste dans le binôme",
        summary=(
            "La confidentialité permet au mentoré de montrer ce qu'il ne sait pas. Ce qu'elle "
            "couvre, ce qu'elle ne couvre pas, et les gestes quotidiens qui la protègent."
        ),
        body=_md(
            """
            ## Le socle de la relation
            Apprendre un outil auprès d'un collègue plus jeune, c'est montrer, parfois pour la
            première fois, ce que l'on ne sait pas faire. On ne prend ce risque que si l'on est
            sûr que ses difficultés ne vont pas résonner dans toute l'entreprise. Beaucoup se
            demandent aussi ce qui sera « gardé quelque part ». La confidentialité n'est donc
            pas une politesse ajoutée au mentorat : c'est la condition d'un apprentissage
            sincère.

            La règle tient en une phrase, qu'il vaut la peine de prononcer dès la première
            séance : **ce qui se dit dans le binôme reste dans le binôme.** Elle vaut dans les
            deux sens.

            ## Ce qu'elle couvre
            - les difficultés de votre mentoré et ses erreurs d'apprentissage ;
            - ce qu'il vous confie sur lui, son équipe ou ses inquiétudes ;
            - les notes et le journal que vous tenez ensemble ;
            - votre propre avis sur la vitesse de ses progrès.

            ## Ce qu'elle ne signifie pas
            Confidentialité ne veut pas dire programme secret. Vous pouvez dire que vous êtes
            mentor, à quel rythme vous vous voyez et, avec l'accord de votre mentoré, sur quel
            outil vous travaillez. La frontière est simple : ce qui concerne la personne reste
            dans le binôme. Les responsables du programme forment les binômes, mais ce qui s'y
            passe ne leur parvient que sous forme de chiffres portant sur des groupes assez
            grands pour que personne n'y soit reconnaissable : jamais les réponses d'une
            personne, jamais les notes d'un binôme.

            Il existe une limite. Si vous apprenez que la sécurité de quelqu'un est en jeu,
            parlez avec votre mentoré de qui doit être prévenu, et contactez le responsable du
            programme ou le service compétent. C'est rare ; mieux vaut le dire franchement que
            le porter seul.

            ## Les bons gestes
            - Convenez de la règle ensemble dès le début, et invitez votre mentoré à vous la
              rappeler.
            - Demandez avant de répéter quoi que ce soit, même un compliment.
            - Prenez vos notes dans le journal du binôme, pas dans une messagerie d'équipe.
            - Arrêtez le partage d'écran avant d'ouvrir vos propres messages.
            - Si un manager vous interroge sur votre mentoré, renvoyez-le poliment vers
              l'intéressé, sans détail.
            """
        ),
        task=_md(
            """
            Où notez-vous d'habitude vos remarques sur des collègues, et qui d'autre peut ouvrir
            cet endroit ? Que changeriez-vous avant votre première séance ?
            """
        ),
        case_study=_md(
            """
            Chez Verger & Brochet, un assureur imaginaire, Bernard, expert sinistres de 61 ans,
            apprend à utiliser un tableau blanc collaboratif avec Inès, designer de 24 ans.

            À la troisième séance, Bernard avoue qu'il évite les visioconférences depuis des
            mois, parce qu'il ne sait jamais si son micro est coupé, et que la réorganisation
            annoncée l'inquiète. Inès note dans le journal du binôme « s'entraîner à couper et
            rétablir le micro », et rien sur la réorganisation.

            Une semaine plus tard, la responsable d'Inès, qui connaît Bernard, lui demande en
            souriant comment s'en sort « la vieille garde ». Inès répond que les séances se
            passent bien et que, pour le reste, c'est à Bernard d'en parler. Lorsque Bernard
            apprend, par sa propre hiérarchie, que le mentorat « a l'air de bien se passer, mais
            Inès ne dit rien », il se détend visiblement.

            À la séance suivante, il arrive avec cinq questions qu'il n'avait jamais osé poser.
            Inès, de son côté, lui demande comment il prépare un appel client difficile, et ils
            décident d'y consacrer la moitié de chaque séance.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Pourquoi la confidentialité compte-t-elle tant dans le mentorat inversé ?",
                kind="single",
                choices=(
                    _no("Parce que l'existence du programme doit rester secrète"),
                    _yes(
                        "Parce que le mentoré doit pouvoir montrer ce qu'il ne sait pas sans que "
                        "cela résonne dans l'entreprise"
                    ),
                    _no("Parce que les managers n'ont pas le droit de parler de formation"),
                ),
                explanation=(
                    "Apprendre, c'est montrer ses lacunes. Un mentoré qui craint qu'on les "
                    "répète les cachera, et il n'apprendra rien. Le programme, lui, n'a rien "
                    "de secret."
                ),
            ),
            SeedQuestion(
                prompt="Qu'est-ce qui reste dans le binôme ?",
                kind="multiple",
                choices=(
                    _yes("Les difficultés que votre mentoré évoque"),
                    _yes("Les notes du journal du binôme"),
                    _yes("Votre avis sur la vitesse de ses progrès"),
                    _no("Le fait que vous participez au programme comme mentor"),
                ),
                explanation=(
                    "Tout ce qui concerne la personne reste dans le binôme, y compris votre "
                    "jugement sur ses progrès. Être mentor n'est pas un secret : vous pouvez "
                    "dire que vous participez."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Vous aimeriez raconter à votre équipe un moment drôle de la dernière séance, "
                    "qui montre les progrès de votre mentoré. Que faire ?"
                ),
                kind="single",
                choices=(
                    _no("Le raconter : c'est flatteur, donc sans danger"),
                    _yes("Lui demander d'abord, et ne le raconter que s'il est d'accord"),
                    _no("Le raconter sans citer de nom : personne ne devinera"),
                ),
                explanation=(
                    "Même flatteuse, l'anecdote lui appartient. Taire le nom ne suffit guère : "
                    "les collègues savent souvent qui accompagne qui."
                ),
            ),
            SeedQuestion(
                prompt="Que voit le responsable du programme de ce qui se passe dans le binôme ?",
                kind="single",
                choices=(
                    _no("Le journal du binôme, pour intervenir tôt"),
                    _no("Les réponses de chacun aux points d'étape, pour repérer les difficultés"),
                    _yes(
                        "Des chiffres sur des groupes assez grands pour que personne n'y soit "
                        "reconnaissable"
                    ),
                ),
                explanation=(
                    "Le responsable sait qui forme binôme avec qui, puisqu'il organise "
                    "l'appariement, mais il pilote le programme avec des agrégats uniquement. "
                    "Le journal et les réponses personnelles appartiennent aux deux membres du "
                    "binôme."
                ),
            ),
        ),
        pass_mark=80,
    ),
    SeedLesson(
        group="mentor-confidentiality",
        language="es",
        level="deepen",
        topics=("reverse_mentoring", "mentoring"),
        title="Lo que se dice en la pareja se queda en la pareja",
        summary=(
            "La confidencialidad es lo que permite al mentorizado mostrar lo que no sabe. Qué "
            "abarca, qué no, y los hábitos diarios que la protegen."
        ),
        body=_md(
            """
            ## La base de todo
            Aprender una herramienta con un compañero más joven supone enseñar, a veces por
            primera vez, lo que uno no sabe hacer. Solo se corre ese riesgo cuando se tiene la
            seguridad de que esas dificultades no van a resonar por toda la empresa. Además,
            mucha gente no tiene claro qué queda «registrado». Por eso la confidencialidad no es
            un detalle de cortesía: es la condición para aprender con sinceridad.

            La regla cabe en una frase y conviene decirla en voz alta en la primera sesión:
            **lo que se dice en la pareja se queda en la pareja.** Y vale en los dos sentidos.

            ## Qué abarca
            - lo que le cuesta a su mentorizado y los errores que comete al aprender;
            - lo que le cuente sobre sí mismo, su equipo o sus preocupaciones;
            - las notas y el diario que llevan juntos;
            - su propia opinión sobre lo rápido que avanza.

            ## Qué no significa
            Confidencialidad no quiere decir que el programa sea secreto. Puede contar que es
            mentor, cada cuánto se reúnen y, si su mentorizado está de acuerdo, con qué
            herramienta trabajan. La frontera es sencilla: lo que afecta a la persona se queda
            en la pareja. Los responsables del programa forman las parejas, pero lo que ocurre
            dentro solo les llega como cifras de grupos lo bastante grandes como para que nadie
            sea reconocible: nunca las respuestas de alguien, nunca las notas de una pareja.

            Hay un límite. Si se entera de que la seguridad de alguien corre peligro, hable con
            su mentorizado sobre a quién hay que avisar y contacte con la responsable del
            programa o con el servicio adecuado. Es poco frecuente, pero si ocurre es mejor
            decirlo con claridad que cargar con ello a solas.

            ## Hábitos que cumplen la promesa
            - Acuerden la regla juntos al principio e invite a su mentorizado a recordársela.
            - Pregunte antes de repetir cualquier cosa, aunque sea un elogio.
            - Tome notas en el diario de la pareja, no en el chat del equipo.
            - Deje de compartir pantalla antes de abrir sus propios mensajes.
            - Si un responsable le pregunta por su mentorizado, remítale con amabilidad al
              interesado, sin detalles.
            """
        ),
        task=_md(
            """
            ¿Dónde suele apuntar cosas sobre sus compañeros y quién más puede abrir ese sitio?
            ¿Qué cambiaría antes de su primera sesión?
            """
        ),
        case_study=_md(
            """
            En Huerta y Lucio Seguros, una aseguradora ficticia, Bernardo, perito de siniestros
            de 61 años, aprende a usar una pizarra colaborativa con Inés, diseñadora de 24.

            En la tercera sesión Bernardo confiesa que lleva meses evitando las videollamadas
            porque nunca sabe si tiene el micrófono silenciado, y que la reorganización
            anunciada le preocupa. Inés anota en el diario de la pareja «practicar silenciar y
            activar el micrófono antes de las reuniones», y nada sobre la reorganización.

            Una semana después, la jefa de Inés, que conoce a Bernardo, le pregunta con sorna qué
            tal se defiende «la vieja guardia». Inés responde que las sesiones van bien y que lo
            demás le corresponde contarlo a Bernardo. Cuando él se entera, por su propio
            responsable, de que la mentoría «parece ir bien, pero Inés no suelta prenda», se
            le nota aliviado.

            En la siguiente sesión llega con cinco preguntas que nunca se había atrevido a
            hacer. Inés, a su vez, le pregunta cómo prepara una llamada difícil con un cliente,
            y deciden dedicarle la mitad de cada sesión.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="¿Por qué es tan importante la confidencialidad en la mentoría inversa?",
                kind="single",
                choices=(
                    _no("Porque la existencia del programa debe ser secreta"),
                    _yes(
                        "Porque el mentorizado debe poder mostrar lo que no sabe sin que eso "
                        "resuene en la empresa"
                    ),
                    _no("Porque los responsables no pueden hablar de formación"),
                ),
                explanation=(
                    "Aprender es mostrar carencias. Quien teme que se las vayan a repetir las "
                    "esconde, y entonces no aprende. El programa en sí no tiene nada de secreto."
                ),
            ),
            SeedQuestion(
                prompt="¿Qué se queda dentro de la pareja?",
                kind="multiple",
                choices=(
                    _yes("Las dificultades que menciona su mentorizado"),
                    _yes("Las notas del diario de la pareja"),
                    _yes("Su opinión sobre lo rápido que avanza su mentorizado"),
                    _no("El hecho de que usted participa en el programa como mentor"),
                ),
                explanation=(
                    "Todo lo que afecta a la persona se queda en la pareja, incluida su opinión "
                    "sobre sus avances. Ser mentor no es un secreto: puede decir que participa."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Quiere contar a su equipo una anécdota graciosa de la última sesión que "
                    "demuestra lo mucho que ha mejorado su mentorizado. ¿Qué debe hacer?"
                ),
                kind="single",
                choices=(
                    _no("Contarla: es un elogio, así que no hace daño"),
                    _yes("Preguntarle antes y contarla solo si le parece bien"),
                    _no("Contarla sin decir el nombre: nadie lo adivinará"),
                ),
                explanation=(
                    "Aunque sea un elogio, la anécdota es suya. Omitir el nombre sirve de poco: "
                    "los compañeros suelen saber quién acompaña a quién."
                ),
            ),
            SeedQuestion(
                prompt="¿Qué ve la responsable del programa de lo que ocurre dentro de su pareja?",
                kind="single",
                choices=(
                    _no("El diario de la pareja, para intervenir a tiempo"),
                    _no("Las respuestas de cada uno en los seguimientos, para detectar problemas"),
                    _yes("Cifras de grupos tan grandes que nadie es reconocible en ellas"),
                ),
                explanation=(
                    "La responsable sabe quién forma pareja con quién, porque organiza los "
                    "emparejamientos, pero dirige el programa solo con datos agregados. El diario "
                    "y las respuestas personales pertenecen a los dos miembros de la pareja."
                ),
            ),
        ),
        pass_mark=80,
    ),
    # --- Mentor training 3: the first session and the rhythm ----------------------------------
    SeedLesson(
        group="mentor-first-session",
        language="en",
        level="deepen",
        topics=("reverse_mentoring", "mentoring"),
        title="The first session, the plan and the rhythm of meetings",
        summary=(
            "How to run a first session that builds trust, turn it into a plan with goals at "
            "the right guidance level, and keep meeting regularly afterwards."
        ),
        body=_md(
            """
            ## The first session is not a lesson
            Resist the urge to open a laptop. The first meeting is for getting to know each
            other, and each person shares three things:

            - **Interests:** what they enjoy at work and outside it, what makes them curious.
            - **Knowledge:** what they already do well. The mentee has plenty to teach too.
            - **Shortcomings:** what they find hard, avoid or quietly work around.

            As the mentor, go first on shortcomings. Admitting that you dread presenting to a
            board, or have never negotiated a contract, shows that this is a safe place.

            ## Design a plan together
            Finish the first session with two to four goals for your mentee and, in a mutual
            pair, for yourself as well. Give each goal a guidance level:

            1. **Discover:** a beginner who wants to find out what a tool does, such as joining
               a video call and sharing a screen without help.
            2. **Deepen:** knows the basics and wants to develop and experiment, such as
               building a pivot table from the team's monthly export.
            3. **Exploit:** already uses the tool, but not to its full potential, such as
               cutting a weekly report from two hours to thirty minutes.

            Write goals as things the person will be able to do, not as topics. "Spreadsheets"
            is a topic; "filter and total my team's expenses by month without help" is a goal
            you can both recognise once it is reached.

            ## Keep a rhythm
            Agree on the number of sessions (six is a good default) and a cadence (monthly
            suits most pairs). Book every session in both calendars before you part, and
            protect that time as you would a client meeting. Between sessions, suggest one
            small exercise, never homework that takes an evening.

            After each session, both of you note what you covered, the progress on each goal
            and the next step. If a session has to move, move it rather than drop it: a short
            session keeps the thread, a skipped month often ends a pair.

            ## Close well
            In the last session, review the plan together: what is done, what remains, what
            each of you learned from the other, and how the mentee will keep going alone.
            """
        ),
        task=_md(
            """
            Write down one of your own shortcomings that you would be willing to share in a
            first session. How does it feel to write it, and what does that tell you about how
            your mentee may feel?
            """
        ),
        case_study=_md(
            """
            At Fennick Foods, a fictitious food wholesaler, Tomas, a 29-year-old marketing
            officer, is paired with Helen, 55, who runs purchasing. In the first session Tomas
            starts by admitting that negotiating with suppliers terrifies him. Helen, relieved,
            admits that she avoids the company's shared drive and still e-mails attachments to
            her own team.

            They leave with a plan. Helen will discover the shared drive by filing one tender in
            it; deepen her use of it by co-editing a tender with two buyers; and exploit the
            video calls she already holds daily by using the meeting chat and recordings instead
            of long follow-up e-mails. Because the pair is mutual, Tomas has a goal too: prepare
            and lead his first supplier call.

            Six monthly sessions go into both calendars that afternoon. In the third month,
            during inventory, they keep the date but meet for twenty minutes only.

            By the end Helen's whole team works on tenders in the shared drive, and Tomas has
            led two supplier calls, with Helen's preparation checklist open beside him.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="What do both people share in the first session?",
                kind="multiple",
                choices=(
                    _yes("Their interests"),
                    _yes("What they already know well"),
                    _yes("Their shortcomings"),
                    _no("Their latest performance review"),
                ),
                explanation=(
                    "Interests, knowledge and shortcomings build the trust and the material for "
                    "the plan. Performance reviews belong to the reporting line, which has no "
                    "place in a pair."
                ),
            ),
            SeedQuestion(
                prompt=(
                    'A mentee says: "I use spreadsheets every day, but I am sure I only use a '
                    'tenth of what they can do." Which guidance level fits this goal?'
                ),
                kind="single",
                choices=(
                    _no("Discover"),
                    _no("Deepen"),
                    _yes("Exploit"),
                ),
                explanation=(
                    "Exploit is for someone who already uses a tool but not to its full "
                    "potential. Discover is for a beginner; Deepen for someone who knows the "
                    "basics and wants to experiment."
                ),
            ),
            SeedQuestion(
                prompt="Which goal is written in the most useful way?",
                kind="single",
                choices=(
                    _no("Spreadsheets"),
                    _no("Become better with computers"),
                    _yes("Build a pivot table from my team's monthly export without help"),
                ),
                explanation=(
                    "A useful goal describes something the person will be able to do, so that "
                    "both of you can tell when it has been reached."
                ),
            ),
            SeedQuestion(
                prompt="What best keeps a pair meeting regularly?",
                kind="single",
                choices=(
                    _no("Meeting whenever both happen to be free"),
                    _yes("Booking every session at an agreed cadence during the first meeting"),
                    _no("Asking each other's managers to schedule the sessions"),
                ),
                explanation=(
                    'Dates booked in advance survive busy months; "when we are free" rarely '
                    "comes. Managers have no role in organising the pair."
                ),
            ),
        ),
        pass_mark=80,
    ),
    SeedLesson(
        group="mentor-first-session",
        language="fr",
        level="deepen",
        topics=("reverse_mentoring", "mentoring"),
        title="La première séance, le plan et le rythme des rencontres",
        summary=(
            "Mener une première séance qui installe la confiance, en tirer un plan dont chaque "
            "objectif a son niveau d'accompagnement, puis tenir un rythme régulier."
        ),
        body=_md(
            """
            ## La première séance n'est pas un cours
            Résistez à l'envie d'ouvrir l'ordinateur. La première rencontre sert à faire
            connaissance, et chacun partage trois choses :

            - **Ses centres d'intérêt :** ce qui lui plaît, au travail comme ailleurs.
            - **Ses connaissances :** ce qu'il maîtrise déjà. Le mentoré aussi a beaucoup à
              transmettre.
            - **Ses lacunes :** ce qu'il trouve difficile, évite ou contourne en silence.

            En tant que mentor, commencez par vos propres lacunes. Avouer que présenter devant
            un comité de direction vous angoisse, ou que vous n'avez jamais négocié un contrat,
            montre que l'on peut parler librement.

            ## Construire le plan ensemble
            Terminez la séance avec deux à quatre objectifs pour votre mentoré et, dans un
            binôme mutuel, pour vous aussi. Chaque objectif reçoit un niveau d'accompagnement :

            1. **Découvrir :** un débutant qui veut savoir ce que fait un outil, par exemple
               rejoindre une visioconférence et partager son écran sans aide.
            2. **Approfondir :** il connaît les bases et veut progresser, expérimenter, par
               exemple construire un tableau croisé dynamique à partir de l'export mensuel.
            3. **Exploiter :** il utilise déjà l'outil, sans en tirer tout le potentiel, par
               exemple réduire un rapport hebdomadaire de deux heures à trente minutes.

            Formulez chaque objectif comme une chose que la personne saura faire, pas comme un
            thème. « Le tableur » est un thème ; « filtrer et totaliser seul les dépenses de
            l'équipe par mois » est un objectif que vous reconnaîtrez tous deux une fois atteint.

            ## Tenir le rythme
            Fixez un nombre de séances (six, c'est un bon repère) et une fréquence (mensuelle
            pour la plupart des binômes). Inscrivez toutes les dates dans vos deux agendas avant
            de vous quitter, et protégez ce temps comme un rendez-vous client. Entre deux
            séances, proposez un petit exercice, jamais un devoir qui prend une soirée.

            Après chaque séance, notez tous deux ce que vous avez vu, où en est chaque objectif
            et la prochaine étape. Si une séance doit bouger, déplacez-la plutôt que de
            l'annuler : une séance courte garde le fil, un mois sauté met souvent fin au binôme.

            ## Bien conclure
            À la dernière séance, relisez le plan : ce qui est acquis, ce qui reste, ce que
            chacun a appris de l'autre, et comment le mentoré continuera seul.
            """
        ),
        task=_md(
            """
            Notez l'une de vos lacunes que vous seriez prêt à partager lors d'une première
            séance. Qu'éprouvez-vous en l'écrivant, et qu'est-ce que cela vous apprend sur ce
            que peut ressentir votre mentoré ?
            """
        ),
        case_study=_md(
            """
            Chez Fenouil Distribution, un grossiste alimentaire imaginaire, Thomas, chargé de
            marketing de 29 ans, forme un binôme avec Hélène, 55 ans, directrice des achats. À
            la première séance, Thomas avoue d'emblée que négocier avec des fournisseurs le
            terrifie. Soulagée, Hélène reconnaît qu'elle évite le drive partagé de l'entreprise
            et envoie encore des pièces jointes à sa propre équipe.

            Ils repartent avec un plan. Hélène va découvrir le drive en y classant un appel
            d'offres, approfondir en rédigeant un appel d'offres à plusieurs mains avec deux
            acheteurs, et exploiter les visioconférences qu'elle anime déjà chaque jour en
            utilisant la messagerie et les enregistrements au lieu de longs courriels de suivi.
            Le binôme étant mutuel, Thomas a lui aussi un objectif : préparer et mener son
            premier appel fournisseur.

            Les six séances mensuelles sont inscrites dans les deux agendas l'après-midi même.
            Le troisième mois, en plein inventaire, ils gardent la date mais ne se voient que
            vingt minutes.

            À la fin, toute l'équipe d'Hélène travaille ses appels d'offres dans le drive, et
            Thomas a mené deux appels fournisseurs, la liste de préparation d'Hélène sous les
            yeux.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Que partagent les deux membres du binôme lors de la première séance ?",
                kind="multiple",
                choices=(
                    _yes("Leurs centres d'intérêt"),
                    _yes("Ce qu'ils maîtrisent déjà"),
                    _yes("Leurs lacunes"),
                    _no("Leur dernier entretien annuel d'évaluation"),
                ),
                explanation=(
                    "Intérêts, connaissances et lacunes installent la confiance et nourrissent "
                    "le plan. L'entretien d'évaluation relève de la hiérarchie, qui n'a pas sa "
                    "place dans un binôme."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un mentoré explique : « J'utilise le tableur tous les jours, mais je suis "
                    "sûr de n'en exploiter qu'un dixième. » Quel niveau d'accompagnement "
                    "convient à cet objectif ?"
                ),
                kind="single",
                choices=(
                    _no("Découvrir"),
                    _no("Approfondir"),
                    _yes("Exploiter"),
                ),
                explanation=(
                    "Exploiter s'adresse à quelqu'un qui utilise déjà un outil sans en tirer "
                    "tout le potentiel. Découvrir vise le débutant ; Approfondir, celui qui "
                    "connaît les bases et veut expérimenter."
                ),
            ),
            SeedQuestion(
                prompt="Quel objectif est formulé de la manière la plus utile ?",
                kind="single",
                choices=(
                    _no("Le tableur"),
                    _no("Être plus à l'aise avec l'informatique"),
                    _yes("Construire seul un tableau croisé dynamique avec l'export mensuel"),
                ),
                explanation=(
                    "Un objectif utile décrit ce que la personne saura faire : ainsi, chacun "
                    "voit clairement quand il est atteint."
                ),
            ),
            SeedQuestion(
                prompt="Qu'est-ce qui aide le mieux un binôme à se voir régulièrement ?",
                kind="single",
                choices=(
                    _no("Se retrouver quand les deux ont un moment"),
                    _yes("Réserver toutes les séances, à une fréquence convenue, dès la première"),
                    _no("Demander aux managers de chacun de planifier les séances"),
                ),
                explanation=(
                    "Des dates fixées à l'avance résistent aux mois chargés ; « quand on aura "
                    "un moment » n'arrive presque jamais. Les managers n'ont aucun rôle dans "
                    "l'organisation du binôme."
                ),
            ),
        ),
        pass_mark=80,
    ),
    SeedLesson(
        group="mentor-first-session",
        language="es",
        level="deepen",
        topics=("reverse_mentoring", "mentoring"),
        title="La primera sesión, el plan y el ritmo de los encuentros",
        summary=(
            "Cómo llevar una primera sesión que cree confianza, convertirla en un plan con "
            "objetivos de distinto nivel y mantener después un ritmo regular."
        ),
        body=_md(
            """
            ## La primera sesión no es una clase
            Aguante las ganas de abrir el portátil. El primer encuentro sirve para conocerse, y
            cada persona comparte tres cosas:

            - **Intereses:** lo que le gusta, dentro y fuera del trabajo.
            - **Conocimientos:** lo que ya domina. El mentorizado también tiene mucho que
              enseñar.
            - **Carencias:** lo que le cuesta, evita o sortea sin decir nada.

            Como mentor, empiece usted por sus carencias. Reconocer que le angustia presentar
            ante el comité de dirección, o que nunca ha negociado un contrato, demuestra que ahí
            se puede hablar con libertad.

            ## Diseñar el plan juntos
            Cierre la sesión con dos a cuatro objetivos para su mentorizado y, en una pareja
            mutua, también para usted. Cada objetivo lleva un nivel de acompañamiento:

            1. **Descubrir:** alguien que empieza y quiere saber qué hace una herramienta; por
               ejemplo, entrar en una videollamada y compartir pantalla sin ayuda.
            2. **Profundizar:** conoce lo básico y quiere avanzar y experimentar; por ejemplo,
               montar una tabla dinámica con la exportación mensual del equipo.
            3. **Aprovechar:** ya usa la herramienta, pero sin sacarle todo el partido; por
               ejemplo, pasar de dos horas a treinta minutos con el informe semanal.

            Redacte los objetivos como cosas que la persona sabrá hacer, no como temas. «Hojas
            de cálculo» es un tema; «filtrar y sumar yo solo los gastos del equipo por mes» es un
            objetivo que los dos reconocerán cuando se cumpla.

            ## Mantener el ritmo
            Acuerden un número de sesiones (seis es una buena referencia) y una frecuencia (la
            mensual funciona para la mayoría). Apunten todas las fechas en las dos agendas antes
            de despedirse y protejan ese tiempo como si fuera una reunión con un cliente. Entre
            sesión y sesión, proponga un ejercicio breve, nunca deberes para toda una tarde.

            Tras cada sesión, anoten los dos lo que vieron, cómo va cada objetivo y el siguiente
            paso. Si hay que mover una sesión, muévanla en lugar de cancelarla: una sesión corta
            mantiene el hilo, y un mes sin verse suele acabar con la pareja.

            ## Cerrar bien
            En la última sesión repasen el plan: lo conseguido, lo pendiente, lo que cada uno ha
            aprendido del otro y cómo seguirá avanzando el mentorizado por su cuenta.
            """
        ),
        task=_md(
            """
            Escriba una carencia suya que estaría dispuesto a compartir en una primera sesión.
            ¿Qué siente al escribirla, y qué le dice eso sobre cómo puede sentirse su
            mentorizado?
            """
        ),
        case_study=_md(
            """
            En Distribuciones Hinojo, un mayorista de alimentación ficticio, Tomás, técnico de
            marketing de 29 años, forma pareja con Elena, de 55, directora de compras. En la
            primera sesión Tomás reconoce de entrada que negociar con proveedores le aterra.
            Aliviada, Elena admite que evita la unidad compartida de la empresa y sigue
            mandando adjuntos por correo a su propio equipo.

            Salen con un plan. Elena va a descubrir la unidad compartida guardando en ella un
            pliego de compras; a profundizar redactando otro pliego a seis manos con dos
            compradores; y a aprovechar las videollamadas que ya dirige a diario usando el chat
            y las grabaciones en lugar de largos correos de seguimiento. Como la pareja es mutua,
            Tomás también tiene un objetivo: preparar y dirigir su primera llamada con un
            proveedor.

            Esa misma tarde las seis sesiones mensuales quedan en las dos agendas. El tercer
            mes, en pleno inventario, mantienen la fecha pero solo se ven veinte minutos.

            Al final, todo el equipo de Elena trabaja los pliegos en la unidad compartida, y
            Tomás ha dirigido dos llamadas con proveedores con la lista de preparación de Elena
            a la vista.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="¿Qué comparten las dos personas en la primera sesión?",
                kind="multiple",
                choices=(
                    _yes("Sus intereses"),
                    _yes("Lo que ya dominan"),
                    _yes("Sus carencias"),
                    _no("Su última evaluación del desempeño"),
                ),
                explanation=(
                    "Intereses, conocimientos y carencias crean confianza y dan contenido al "
                    "plan. La evaluación del desempeño pertenece a la línea jerárquica, que no "
                    "tiene cabida en una pareja."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un mentorizado dice: «Uso hojas de cálculo a diario, pero seguro que solo "
                    "aprovecho una décima parte». ¿Qué nivel de acompañamiento corresponde?"
                ),
                kind="single",
                choices=(
                    _no("Descubrir"),
                    _no("Profundizar"),
                    _yes("Aprovechar"),
                ),
                explanation=(
                    "Aprovechar es para quien ya usa una herramienta sin sacarle todo el partido. "
                    "Descubrir es para quien empieza; Profundizar, para quien conoce lo básico y "
                    "quiere experimentar."
                ),
            ),
            SeedQuestion(
                prompt="¿Qué objetivo está redactado de la forma más útil?",
                kind="single",
                choices=(
                    _no("Hojas de cálculo"),
                    _no("Manejarme mejor con el ordenador"),
                    _yes("Montar sin ayuda una tabla dinámica con la exportación mensual"),
                ),
                explanation=(
                    "Un objetivo útil describe algo que la persona sabrá hacer, así los dos "
                    "sabrán cuándo se ha cumplido."
                ),
            ),
            SeedQuestion(
                prompt="¿Qué ayuda más a que una pareja se reúna con regularidad?",
                kind="single",
                choices=(
                    _no("Verse cuando los dos tengan un hueco"),
                    _yes("Reservar todas las sesiones, con una frecuencia acordada, en la primera"),
                    _no("Pedir a los responsables de cada uno que organicen las sesiones"),
                ),
                explanation=(
                    "Las fechas reservadas con antelación sobreviven a los meses de mucho "
                    "trabajo; «cuando tengamos un hueco» casi nunca llega. Los responsables no "
                    "tienen ningún papel en la organización de la pareja."
                ),
            ),
        ),
        pass_mark=80,
    ),
    # --- Discover: video calls and screen sharing ---------------------------------------------
    SeedLesson(
        group="video-calls-etiquette",
        language="en",
        level="discover",
        topics=("video_calls", "screen_sharing"),
        title="Video calls and screen sharing without the awkward moments",
        summary=(
            "A short routine before, during and after a video call, and four habits that make "
            "screen sharing safe and easy to follow."
        ),
        body=_md(
            """
            ## Before the call
            Most awkward moments in video calls are settled before the call starts.

            - Join five minutes early, or use the app's preview, to check your camera and
              microphone.
            - Sit with the light in front of you rather than behind you, in a spot as quiet as
              you can find.
            - Close what you will not need: personal e-mail, chats, tabs with customer data.
            - Switch on "do not disturb" so that notifications do not pop up while you share.

            ## During the call
            In a group, mute yourself when you are not speaking and learn the keyboard shortcut
            for it: fumbling for the button is what makes people talk while muted. Keep your
            camera on when you can, at least at the start; if your connection struggles, switch
            it off and say so in the chat so that nobody wonders. Use the chat for links and
            short questions, and the "raise hand" button instead of talking over someone. In a
            large call, say your name before you speak.

            ## Sharing your screen
            1. **Share one window, not the whole screen.** Others then see only that window,
               not your desktop, your files or a message arriving.
            2. **Make it readable.** Zoom in until text would be legible on a phone; some
               colleagues will be on one.
            3. **Guide the eye.** Say what people should look at, and move the pointer slowly.
            4. **Stop sharing as soon as you are done.** Then check that the button really says
               you have stopped.

            ## After the call
            Send a few lines with the decisions and the next steps. If you want to record a
            meeting, announce it and ask before you start, not afterwards: people speak
            differently when they know they are being recorded, and they have a right to know.

            None of this is about being perfect. Everyone has spoken while muted at least once;
            the routine simply makes it rarer, and makes the people who join you feel that
            their time is respected.
            """
        ),
        task=_md(
            """
            Think of the last video call that went wrong for you or for someone else. Which of
            these habits would have prevented it, and which one will you try this week?
            """
        ),
        case_study=_md(
            """
            At Halden Printworks, a fictitious printing firm, the monthly budget review happens
            on video. Margit, a 63-year-old finance controller, shares her whole screen to walk
            through the figures. Halfway through, a message from her daughter pops up in the
            corner, and a folder named "restructuring drafts" is plainly visible on her desktop.
            Nothing terrible happens, but Margit spends the rest of the meeting flustered and
            the questions she prepared for go unasked.

            Her reverse mentor, Kofi, a 23-year-old apprentice in the print shop, suggests a
            thirty-minute session. They open a test meeting with just the two of them. Margit
            practises sharing a single window, switching on "do not disturb", zooming the sheet
            to 150 % and stopping the share. She does it three times until it feels boring.

            The next month her review goes smoothly. Afterwards she offers Kofi something in
            return: how to tell a story with numbers, so that people remember the one figure
            that matters. He uses it in his apprenticeship presentation.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="You need to show a spreadsheet in a call. What is the safest way to share?",
                kind="single",
                choices=(
                    _yes("Share only the spreadsheet's window"),
                    _no("Share the entire screen so that you can switch between apps freely"),
                    _no("Share the entire screen and minimise the other windows first"),
                ),
                explanation=(
                    "Sharing one window shows only that window, even if a notification arrives "
                    "or another app comes to the front. With the whole screen shared, anything "
                    "that pops up or that you open by mistake is seen by everyone, minimised "
                    "or not."
                ),
            ),
            SeedQuestion(
                prompt="Which of these help before an important call?",
                kind="multiple",
                choices=(
                    _yes("Checking your camera and microphone a few minutes early"),
                    _yes("Closing personal messages and switching on 'do not disturb'"),
                    _no("Sitting with a bright window behind you"),
                    _no("Joining a little late to skip the small talk"),
                ),
                explanation=(
                    "A quick test and a quiet screen prevent most problems. Light from behind "
                    "turns you into a silhouette, and the first minutes are often where people "
                    "get to know each other."
                ),
            ),
            SeedQuestion(
                prompt="You would like to record a team meeting. When should you say so?",
                kind="single",
                choices=(
                    _no("Not at all, as long as the recording stays inside the team"),
                    _yes("Before recording starts, asking whether everyone agrees"),
                    _no("At the end, when you send the recording round"),
                ),
                explanation=(
                    "People have a right to know they are being recorded before they speak. "
                    "Telling them afterwards does not give them that choice."
                ),
            ),
            SeedQuestion(
                prompt="Your video keeps freezing because the connection is weak. Best move?",
                kind="single",
                choices=(
                    _yes("Switch off your camera and mention it in the chat"),
                    _no("Leave the call without a word and catch up later"),
                    _no("Keep everything on and apologise each time it freezes"),
                ),
                explanation=(
                    "Audio needs far less bandwidth than video. A word in the chat tells others "
                    "why your camera went dark, so nobody wonders whether you left."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="video-calls-etiquette",
        language="fr",
        level="discover",
        topics=("video_calls", "screen_sharing"),
        title="Visioconférence et partage d'écran sans moments gênants",
        summary=(
            "Une petite routine avant, pendant et après une visioconférence, et quatre réflexes "
            "pour partager son écran en toute sécurité."
        ),
        body=_md(
            """
            ## Avant la réunion
            La plupart des moments gênants en visio se règlent avant même de se connecter.

            - Connectez-vous cinq minutes en avance, ou utilisez l'aperçu de l'application, pour
              vérifier caméra et micro.
            - Placez-vous face à la lumière plutôt que dos à une fenêtre, dans l'endroit le plus
              calme possible.
            - Fermez ce qui ne servira pas : messagerie personnelle, discussions, onglets
              contenant des données clients.
            - Activez le mode « ne pas déranger » pour que les notifications ne s'affichent pas
              pendant le partage.

            ## Pendant la réunion
            En groupe, coupez votre micro quand vous ne parlez pas et apprenez le raccourci
            clavier correspondant : c'est en cherchant le bouton qu'on finit par parler micro
            coupé. Gardez la caméra allumée quand c'est possible, au moins au début ; si la
            connexion faiblit, coupez-la et signalez-le dans la discussion pour que personne ne
            s'interroge. Servez-vous de la discussion pour les liens et les questions courtes,
            et de la main levée plutôt que de couper la parole. Dans une grande réunion,
            présentez-vous avant de parler.

            ## Partager son écran
            1. **Partagez une fenêtre, pas l'écran entier.** Les autres ne voient alors que
               cette fenêtre, ni votre bureau, ni vos dossiers, ni le message qui arrive.
            2. **Rendez-le lisible.** Zoomez jusqu'à ce que le texte se lise sur un téléphone :
               certains collègues suivent depuis le leur.
            3. **Guidez le regard.** Dites ce qu'il faut regarder et déplacez la souris
               lentement.
            4. **Arrêtez le partage dès que vous avez fini,** et vérifiez que c'est bien le cas.

            ## Après la réunion
            Envoyez quelques lignes avec les décisions et les prochaines étapes. Pour enregistrer
            une réunion, annoncez-le et demandez l'accord de chacun avant de commencer, pas
            après : on ne parle pas de la même façon quand on se sait enregistré, et chacun a le
            droit de le savoir.

            Il ne s'agit pas d'être parfait. Tout le monde a déjà parlé micro coupé ; la routine
            rend simplement ces moments plus rares, et montre aux autres que leur temps compte.
            """
        ),
        task=_md(
            """
            Repensez à la dernière visioconférence qui a mal tourné, pour vous ou pour un autre.
            Lequel de ces réflexes l'aurait évité, et lequel allez-vous essayer cette semaine ?
            """
        ),
        case_study=_md(
            """
            Aux Imprimeries Haldenne, une entreprise imaginaire, la revue budgétaire mensuelle se
            fait en visio. Marguerite, contrôleuse de gestion de 63 ans, partage tout son écran
            pour présenter les chiffres. Au milieu de l'exposé, un message de sa fille s'affiche
            dans un coin, et un dossier intitulé « projets de réorganisation » est bien visible
            sur son bureau. Rien de grave, mais Marguerite passe la fin de la réunion troublée,
            et les questions qu'elle avait préparées restent sans réponse.

            Son mentor inversé, Kofi, apprenti de 23 ans à l'atelier, lui propose une séance de
            trente minutes. Ils ouvrent une réunion de test à deux. Marguerite s'entraîne à
            partager une seule fenêtre, à activer le mode « ne pas déranger », à zoomer le
            tableau à 150 % et à arrêter le partage. Trois fois, jusqu'à ce que ce soit devenu
            ennuyeux.

            Le mois suivant, la revue se déroule sans accroc. Marguerite propose alors à Kofi
            un échange : comment raconter une histoire avec des chiffres, pour que chacun retienne
            celui qui compte. Il s'en sert pour sa soutenance d'apprentissage.
            """
        ),
        questions=(
            SeedQuestion(
                prompt=(
                    "Vous devez montrer un tableur en réunion. Quelle est la façon la plus sûre "
                    "de le partager ?"
                ),
                kind="single",
                choices=(
                    _yes("Partager uniquement la fenêtre du tableur"),
                    _no("Partager tout l'écran pour passer librement d'une application à l'autre"),
                    _no("Partager tout l'écran après avoir réduit les autres fenêtres"),
                ),
                explanation=(
                    "Partager une fenêtre n'affiche qu'elle, même si une notification arrive ou "
                    "qu'une autre application passe au premier plan. Avec l'écran entier, tout "
                    "ce qui surgit ou que vous ouvrez par erreur est vu de tous, fenêtres "
                    "réduites ou non."
                ),
            ),
            SeedQuestion(
                prompt="Qu'est-ce qui aide avant une réunion importante ?",
                kind="multiple",
                choices=(
                    _yes("Tester caméra et micro quelques minutes avant"),
                    _yes("Fermer la messagerie personnelle et activer « ne pas déranger »"),
                    _no("S'installer dos à une fenêtre bien lumineuse"),
                    _no("Arriver un peu en retard pour éviter les bavardages"),
                ),
                explanation=(
                    "Un test rapide et un écran épuré évitent la plupart des problèmes. À "
                    "contre-jour, on devient une silhouette, et les premières minutes servent "
                    "souvent à faire connaissance."
                ),
            ),
            SeedQuestion(
                prompt="Vous souhaitez enregistrer une réunion d'équipe. Quand faut-il le dire ?",
                kind="single",
                choices=(
                    _no("Jamais, tant que l'enregistrement reste dans l'équipe"),
                    _yes("Avant de lancer l'enregistrement, en demandant l'accord de chacun"),
                    _no("À la fin, en envoyant l'enregistrement"),
                ),
                explanation=(
                    "Chacun a le droit de savoir qu'il est enregistré avant de prendre la "
                    "parole. Le dire après coup ne lui laisse plus le choix."
                ),
            ),
            SeedQuestion(
                prompt="Votre image se fige sans cesse à cause d'une connexion faible. Que faire ?",
                kind="single",
                choices=(
                    _yes("Couper la caméra et le signaler dans la discussion"),
                    _no("Quitter la réunion sans rien dire et se rattraper plus tard"),
                    _no("Tout laisser allumé et s'excuser à chaque coupure"),
                ),
                explanation=(
                    "Le son consomme bien moins de bande passante que la vidéo. Un mot dans la "
                    "discussion explique pourquoi votre image a disparu."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="video-calls-etiquette",
        language="es",
        level="discover",
        topics=("video_calls", "screen_sharing"),
        title="Videollamadas y pantalla compartida sin momentos incómodos",
        summary=(
            "Una pequeña rutina para antes, durante y después de una videollamada, y cuatro "
            "hábitos para compartir pantalla con seguridad."
        ),
        body=_md(
            """
            ## Antes de la llamada
            Casi todos los momentos incómodos de una videollamada se evitan antes de conectarse.

            - Entre cinco minutos antes, o use la vista previa de la aplicación, para comprobar
              la cámara y el micrófono.
            - Colóquese de cara a la luz y no de espaldas a una ventana, en el sitio más
              tranquilo que encuentre.
            - Cierre lo que no vaya a necesitar: correo personal, chats, pestañas con datos de
              clientes.
            - Active el modo «no molestar» para que no salten notificaciones mientras comparte.

            ## Durante la llamada
            En grupo, silencie el micrófono cuando no hable y apréndase el atajo de teclado:
            buscar el botón a toda prisa es lo que hace que uno acabe hablando en silencio.
            Mantenga la cámara encendida siempre que pueda, al menos al principio; si la
            conexión falla, apáguela y avise en el chat para que nadie se pregunte qué pasa.
            Use el chat para enlaces y preguntas breves, y el botón de levantar la mano en vez
            de interrumpir. En una reunión grande, diga su nombre antes de hablar.

            ## Compartir pantalla
            1. **Comparta una ventana, no la pantalla entera.** Así los demás solo ven esa
               ventana: ni su escritorio, ni sus carpetas, ni el mensaje que acaba de llegar.
            2. **Que se pueda leer.** Amplíe hasta que el texto se lea en un móvil; habrá quien
               le siga desde uno.
            3. **Guíe la mirada.** Diga qué hay que mirar y mueva el puntero despacio.
            4. **Deje de compartir en cuanto termine** y compruebe que de verdad ha dejado de
               hacerlo.

            ## Después de la llamada
            Envíe unas líneas con las decisiones y los próximos pasos. Si quiere grabar una
            reunión, anúncielo y pida conformidad antes de empezar, no después: nadie habla
            igual cuando sabe que le graban, y todos tienen derecho a saberlo.

            No se trata de ser perfecto. Todo el mundo ha hablado alguna vez con el micrófono
            silenciado; la rutina solo lo hace menos frecuente y demuestra a los demás que su
            tiempo importa.
            """
        ),
        task=_md(
            """
            Recuerde la última videollamada que salió mal, a usted o a otra persona. ¿Cuál de
            estos hábitos la habría evitado, y cuál va a probar esta semana?
            """
        ),
        case_study=_md(
            """
            En Imprenta Haldán, una empresa ficticia, la revisión mensual del presupuesto se
            hace por videollamada. Margarita, controladora financiera de 63 años, comparte toda
            su pantalla para presentar las cifras. A mitad de la exposición aparece en una
            esquina un mensaje de su hija, y en el escritorio se ve perfectamente una carpeta
            llamada «borradores reestructuración». No pasa nada grave, pero Margarita termina la
            reunión nerviosa y se queda sin hacer las preguntas que había preparado.

            Su mentor inverso, Kofi, aprendiz de 23 años en el taller, le propone una sesión de
            media hora. Abren una reunión de prueba solo para ellos dos. Margarita practica
            compartir una sola ventana, activar el modo «no molestar», ampliar la hoja al 150 %
            y dejar de compartir. Lo repite tres veces, hasta que le resulta aburrido.

            Al mes siguiente la revisión sale redonda. Después, Margarita le ofrece algo a
            cambio: cómo contar una historia con números para que la gente recuerde la única
            cifra que importa. Kofi lo aplica en la presentación final de su aprendizaje.
            """
        ),
        questions=(
            SeedQuestion(
                prompt=(
                    "Tiene que enseñar una hoja de cálculo en una llamada. ¿Cuál es la forma más "
                    "segura de compartirla?"
                ),
                kind="single",
                choices=(
                    _yes("Compartir solo la ventana de la hoja de cálculo"),
                    _no("Compartir la pantalla entera para cambiar de aplicación con libertad"),
                    _no("Compartir la pantalla entera tras minimizar las demás ventanas"),
                ),
                explanation=(
                    "Al compartir una ventana solo se ve esa ventana, aunque llegue una "
                    "notificación o se abra otra aplicación. Con la pantalla entera, todo lo que "
                    "aparezca o abra por error lo ven todos, aunque haya minimizado el resto."
                ),
            ),
            SeedQuestion(
                prompt="¿Qué ayuda antes de una llamada importante?",
                kind="multiple",
                choices=(
                    _yes("Probar cámara y micrófono unos minutos antes"),
                    _yes("Cerrar los mensajes personales y activar «no molestar»"),
                    _no("Sentarse de espaldas a una ventana muy luminosa"),
                    _no("Llegar un poco tarde para saltarse la charla inicial"),
                ),
                explanation=(
                    "Una prueba rápida y una pantalla despejada evitan casi todos los problemas. "
                    "A contraluz uno se convierte en una silueta, y los primeros minutos suelen "
                    "servir para conocerse."
                ),
            ),
            SeedQuestion(
                prompt="Quiere grabar una reunión del equipo. ¿Cuándo debe decirlo?",
                kind="single",
                choices=(
                    _no("Nunca, mientras la grabación no salga del equipo"),
                    _yes("Antes de empezar a grabar, preguntando si todos están de acuerdo"),
                    _no("Al final, cuando envíe la grabación"),
                ),
                explanation=(
                    "Todo el mundo tiene derecho a saber que le graban antes de hablar. "
                    "Decirlo después ya no le deja elegir."
                ),
            ),
            SeedQuestion(
                prompt="Su imagen se congela una y otra vez porque la conexión es mala. ¿Qué hace?",
                kind="single",
                choices=(
                    _yes("Apagar la cámara y avisar en el chat"),
                    _no("Salir de la llamada sin decir nada y ponerse al día después"),
                    _no("Dejarlo todo encendido y disculparse cada vez que se congela"),
                ),
                explanation=(
                    "El audio necesita mucho menos ancho de banda que el vídeo. Un mensaje en el "
                    "chat explica por qué ha desaparecido su imagen."
                ),
            ),
        ),
        pass_mark=60,
    ),
    # --- Discover: spotting phishing ----------------------------------------------------------
    SeedLesson(
        group="spotting-phishing",
        language="en",
        level="discover",
        topics=("phishing", "security"),
        title="Spotting phishing before it spots you",
        summary=(
            "The signs that give a phishing message away, and the four steps to take when one "
            "lands in your inbox, including the one you clicked."
        ),
        body=_md(
            """
            ## What phishing is
            Phishing is a message that pretends to come from someone you trust so that you
            click a link, type a password, open a file or send money. It arrives by e-mail, but
            also by text message, chat or phone. It does not only catch people who are "bad with
            computers": it relies on hurry and habit, and confident young users fall for it too.

            ## The warning signs
            - **Urgency or fear:** "your account will be closed in 24 hours", "last reminder".
            - **An unusual request:** a director asking for gift cards, a supplier announcing new
              bank details by e-mail.
            - **A sender that does not add up:** the display name is right, but the address
              behind it is not, or the domain is a near miss with a swapped letter.
            - **Links that lead elsewhere:** hover the pointer over a link, or press and hold it
              on a phone, to see the real address before you click.
            - **Unexpected attachments,** especially ones that ask you to "enable content".

            Good spelling and a familiar logo prove nothing any more; both are easy to copy.

            ## What to do
            1. **Do not click and do not reply.**
            2. **Check through another channel** that you already know: call the person on the
               number in the directory, or type the website's address yourself.
            3. **Report it** with your mail app's reporting button or to the IT security team.
            4. **If you already clicked or typed a password,** report it straight away and
               change that password. Speed matters far more than embarrassment.

            ## Why reporting matters
            One report can protect a whole organisation: the security team can remove the same
            message from every inbox and block the site it points to. Nobody is blamed for
            reporting, even for reporting a genuine message by mistake. A quick "I am not sure
            about this one" is exactly what they want to hear.

            Spotting phishing is also a good skill to swap between generations: one person may
            know the technical tricks, while another knows from experience how a real supplier
            or a real director actually writes.
            """
        ),
        task=_md(
            """
            Look at the last three e-mails that asked you to click a link. For each one, how
            could you have checked that it was genuine without clicking it?
            """
        ),
        case_study=_md(
            """
            At Marlow Tiles, a fictitious tile maker, Dev, a 22-year-old accounts clerk,
            receives an e-mail that seems to come from a supplier the firm has used for years:
            their bank has changed, and an overdue invoice should be paid to the new account
            today. The logo and the signature look right. Dev, quick with every tool, is about
            to enter the payment.

            His colleague Agnes, 59, who has dealt with that supplier for fifteen years, reads
            it over his shoulder. "They never write like that, and they would have phoned
            first." Together they call the supplier on the number from the original contract.
            The supplier knows nothing about a new bank.

            They report the e-mail. The security team finds the same message in the inboxes of
            three other companies in the group and blocks it for everyone.

            A week later, Dev and Agnes run a twenty-minute session for their team. Dev shows
            how to reveal the real sender address and where a link really leads; Agnes explains
            her rule of calling back on a number you already have.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Which of these are warning signs of phishing?",
                kind="multiple",
                choices=(
                    _yes("A threat that your account will be closed within hours"),
                    _yes("A supplier announcing new bank details by e-mail"),
                    _yes("A link whose real address does not match the sender's organisation"),
                    _no("A reply from a colleague to a message you sent them yesterday"),
                ),
                explanation=(
                    "Urgency, changes to payment details and mismatched links are classic "
                    "signs. An expected reply in an existing conversation is ordinary, though "
                    "it is still worth a glance if it asks for something unusual."
                ),
            ),
            SeedQuestion(
                prompt=(
                    'An e-mail from "IT support" asks you to confirm your password through a '
                    "link before 5 pm. What should you do?"
                ),
                kind="single",
                choices=(
                    _no("Click the link and check whether the page looks genuine"),
                    _yes("Report it and, if in doubt, contact IT through a channel you know"),
                    _no("Reply to the e-mail and ask whether it is genuine"),
                ),
                explanation=(
                    "A fake page can look exactly like the real one, and a reply goes to the "
                    "attacker. Reporting it and checking through a known channel is safe."
                ),
            ),
            SeedQuestion(
                prompt="You clicked a link and typed your password before noticing. What now?",
                kind="single",
                choices=(
                    _no("Wait and see whether anything strange happens"),
                    _yes("Report it immediately and change that password"),
                    _no("Delete the e-mail and say nothing, since it is too late anyway"),
                ),
                explanation=(
                    "The first minutes count: changing the password and telling the security "
                    "team can stop an attacker before they use it."
                ),
            ),
            SeedQuestion(
                prompt="How can you see where a link really leads before clicking it?",
                kind="single",
                choices=(
                    _yes("Hover the pointer over it, or press and hold it on a phone"),
                    _no("Read the link's text in the message"),
                    _no("Check that the e-mail shows the company's logo"),
                ),
                explanation=(
                    "The text of a link can say anything; the address it points to is what "
                    "matters. Logos are easy to copy."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="spotting-phishing",
        language="fr",
        level="discover",
        topics=("phishing", "security"),
        title="Repérer l'hameçonnage avant qu'il ne vous repère",
        summary=(
            "Les signes qui trahissent un message d'hameçonnage, et les quatre gestes à adopter "
            "quand il arrive, y compris si vous avez déjà cliqué."
        ),
        body=_md(
            """
            ## De quoi parle-t-on ?
            L'hameçonnage (ou phishing) est un message qui se fait passer pour quelqu'un de
            confiance afin de vous faire cliquer sur un lien, saisir un mot de passe, ouvrir un
            fichier ou effectuer un paiement. Il arrive par courriel, mais aussi par SMS, par
            messagerie ou par téléphone. Il ne piège pas seulement ceux qui sont « fâchés avec
            l'informatique » : il joue sur la précipitation et l'habitude, et les jeunes
            utilisateurs sûrs d'eux s'y laissent prendre aussi.

            ## Les signaux d'alerte
            - **L'urgence ou la peur :** « votre compte sera fermé sous 24 heures », « dernier
              rappel ».
            - **Une demande inhabituelle :** un directeur qui réclame des cartes cadeaux, un
              fournisseur qui annonce un changement de RIB par courriel.
            - **Un expéditeur qui ne colle pas :** le nom affiché est le bon, mais l'adresse
              derrière ne l'est pas, ou le domaine ressemble au vrai à une lettre près.
            - **Des liens qui mènent ailleurs :** survolez le lien avec la souris, ou gardez le
              doigt appuyé dessus sur un téléphone, pour voir la vraie adresse.
            - **Des pièces jointes inattendues,** surtout celles qui demandent d'« activer le
              contenu ».

            Une orthographe impeccable et un logo familier ne prouvent plus rien : les deux se
            copient facilement.

            ## Les bons gestes
            1. **Ne cliquez pas et ne répondez pas.**
            2. **Vérifiez par un autre canal** que vous connaissez déjà : appelez la personne au
               numéro de l'annuaire, ou tapez vous-même l'adresse du site.
            3. **Signalez-le** avec le bouton de votre messagerie ou à l'équipe sécurité.
            4. **Si vous avez déjà cliqué ou saisi un mot de passe,** signalez-le tout de suite
               et changez ce mot de passe. La rapidité compte bien plus que la gêne.

            ## Pourquoi signaler ?
            Un seul signalement peut protéger toute l'organisation : l'équipe sécurité retire le
            même message de toutes les boîtes et bloque le site visé. Personne n'est blâmé pour
            avoir signalé, même un vrai message par erreur.

            C'est aussi une compétence idéale à échanger entre générations : l'un connaît les
            ficelles techniques, l'autre sait d'expérience comment écrit un vrai fournisseur.
            """
        ),
        task=_md(
            """
            Reprenez les trois derniers courriels qui vous demandaient de cliquer sur un lien.
            Pour chacun, comment auriez-vous pu vérifier qu'il était authentique sans cliquer ?
            """
        ),
        case_study=_md(
            """
            Chez Carrelages Marlot, un fabricant imaginaire, Dev, comptable fournisseurs de 22
            ans, reçoit un courriel qui semble venir d'un fournisseur historique : sa banque a
            changé, et une facture en retard doit être réglée aujourd'hui sur le nouveau compte.
            Logo et signature semblent corrects. Dev, à l'aise avec tous les outils, s'apprête à
            saisir le virement.

            Sa collègue Agnès, 59 ans, qui travaille avec ce fournisseur depuis quinze ans, lit
            par-dessus son épaule : « Ils n'écrivent jamais comme ça, et ils auraient appelé
            avant. » Ensemble, ils téléphonent au fournisseur au numéro du contrat d'origine.
            Celui-ci n'a jamais changé de banque.

            Ils signalent le courriel. L'équipe sécurité retrouve le même message chez trois
            autres sociétés du groupe et le bloque pour tout le monde.

            Une semaine plus tard, Dev et Agnès animent vingt minutes pour leur équipe. Dev
            montre comment afficher la véritable adresse de l'expéditeur et la destination d'un
            lien ; Agnès explique sa règle : rappeler sur un numéro que l'on possède déjà.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Lesquels de ces éléments sont des signaux d'hameçonnage ?",
                kind="multiple",
                choices=(
                    _yes("La menace d'une fermeture de compte dans les heures qui viennent"),
                    _yes("Un fournisseur qui annonce un changement de RIB par courriel"),
                    _yes("Un lien dont l'adresse réelle ne correspond pas à l'expéditeur"),
                    _no("La réponse d'un collègue au message que vous lui avez envoyé hier"),
                ),
                explanation=(
                    "L'urgence, les changements de coordonnées bancaires et les liens trompeurs "
                    "sont des signes classiques. Une réponse attendue dans un échange en cours "
                    "est ordinaire, même si une demande inhabituelle mérite toujours un coup "
                    "d'œil."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un courriel du « support informatique » vous demande de confirmer votre mot "
                    "de passe via un lien avant 17 h. Que faites-vous ?"
                ),
                kind="single",
                choices=(
                    _no("Cliquer pour voir si la page a l'air authentique"),
                    _yes(
                        "Le signaler et, au moindre doute, joindre l'informatique par un canal "
                        "connu"
                    ),
                    _no("Répondre au courriel pour demander s'il est authentique"),
                ),
                explanation=(
                    "Une fausse page peut ressembler trait pour trait à la vraie, et une réponse "
                    "part chez l'attaquant. Signaler et vérifier par un canal connu ne présente "
                    "aucun risque."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Vous avez cliqué et saisi votre mot de passe avant de vous en rendre compte. "
                    "Et maintenant ?"
                ),
                kind="single",
                choices=(
                    _no("Attendre de voir s'il se passe quelque chose d'étrange"),
                    _yes("Le signaler immédiatement et changer ce mot de passe"),
                    _no("Supprimer le courriel et n'en parler à personne : c'est trop tard"),
                ),
                explanation=(
                    "Les premières minutes comptent : changer le mot de passe et prévenir "
                    "l'équipe sécurité peut arrêter l'attaquant avant qu'il ne s'en serve."
                ),
            ),
            SeedQuestion(
                prompt="Comment voir où mène vraiment un lien avant de cliquer ?",
                kind="single",
                choices=(
                    _yes("Le survoler avec la souris, ou garder le doigt appuyé sur un téléphone"),
                    _no("Lire le texte du lien dans le message"),
                    _no("Vérifier que le courriel affiche le logo de l'entreprise"),
                ),
                explanation=(
                    "Le texte d'un lien peut dire n'importe quoi ; c'est l'adresse visée qui "
                    "compte. Les logos se copient facilement."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="spotting-phishing",
        language="es",
        level="discover",
        topics=("phishing", "security"),
        title="Detectar el phishing antes de que le detecte a usted",
        summary=(
            "Las señales que delatan un mensaje de phishing y los cuatro pasos que conviene dar "
            "cuando llega uno, incluso si ya ha hecho clic."
        ),
        body=_md(
            """
            ## Qué es el phishing
            El phishing es un mensaje que se hace pasar por alguien de confianza para que usted
            pulse un enlace, escriba una contraseña, abra un archivo o haga un pago. Llega por
            correo, pero también por SMS, por chat o por teléfono. No solo engaña a quien «no se
            lleva bien con la informática»: se aprovecha de las prisas y de la costumbre, y los
            usuarios jóvenes y seguros de sí mismos también caen.

            ## Señales de alarma
            - **Urgencia o miedo:** «su cuenta se cerrará en 24 horas», «último aviso».
            - **Una petición poco habitual:** un director que pide tarjetas regalo, un proveedor
              que comunica por correo un cambio de cuenta bancaria.
            - **Un remitente que no cuadra:** el nombre que aparece es el correcto, pero la
              dirección no, o el dominio se parece al auténtico salvo por una letra.
            - **Enlaces que llevan a otro sitio:** pase el puntero por encima del enlace, o
              mantenga el dedo pulsado en el móvil, para ver la dirección real.
            - **Adjuntos inesperados,** sobre todo los que piden «habilitar el contenido».

            Una ortografía impecable y un logotipo conocido ya no demuestran nada: ambos se
            copian con facilidad.

            ## Qué hacer
            1. **No haga clic ni responda.**
            2. **Compruébelo por otra vía** que ya conozca: llame a la persona al número del
               directorio o escriba usted mismo la dirección de la web.
            3. **Notifíquelo** con el botón de su correo o al equipo de seguridad.
            4. **Si ya hizo clic o escribió una contraseña,** avise enseguida y cambie esa
               contraseña. La rapidez importa mucho más que la vergüenza.

            ## Por qué avisar
            Un solo aviso puede proteger a toda la organización: el equipo de seguridad borra el
            mismo mensaje de todos los buzones y bloquea la web a la que apunta. Nadie recibe
            reproches por avisar, aunque resulte que el mensaje era legítimo.

            Además, es una habilidad perfecta para intercambiar entre generaciones: uno conoce
            los trucos técnicos y otro sabe por experiencia cómo escribe de verdad un proveedor.
            """
        ),
        task=_md(
            """
            Revise los tres últimos correos que le pedían pulsar un enlace. En cada caso, ¿cómo
            podría haber comprobado que era auténtico sin hacer clic?
            """
        ),
        case_study=_md(
            """
            En Azulejos Marlo, un fabricante ficticio, Dev, administrativo de cuentas a pagar de
            22 años, recibe un correo que parece de un proveedor de toda la vida: ha cambiado de
            banco y hay que pagar hoy mismo una factura atrasada en la nueva cuenta. El logotipo
            y la firma parecen correctos. Dev, que se maneja con soltura con cualquier
            herramienta, está a punto de introducir la transferencia.

            Su compañera Agustina, de 59 años, que lleva quince tratando con ese proveedor, lo
            lee por encima de su hombro: «Nunca escriben así, y habrían llamado antes». Juntos
            llaman al proveedor al teléfono que figura en el contrato original. No ha cambiado
            de banco.

            Notifican el correo. El equipo de seguridad encuentra el mismo mensaje en tres
            empresas más del grupo y lo bloquea para todos.

            Una semana después, Dev y Agustina dan una sesión de veinte minutos a su equipo.
            Dev enseña a ver la dirección real del remitente y adónde lleva de verdad un enlace;
            Agustina explica su regla: devolver la llamada a un número que ya se tiene.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="¿Cuáles de estas son señales de phishing?",
                kind="multiple",
                choices=(
                    _yes("La amenaza de cerrar su cuenta en pocas horas"),
                    _yes("Un proveedor que comunica por correo un cambio de cuenta bancaria"),
                    _yes("Un enlace cuya dirección real no corresponde al remitente"),
                    _no("La respuesta de un compañero al mensaje que usted le envió ayer"),
                ),
                explanation=(
                    "La urgencia, los cambios de datos bancarios y los enlaces engañosos son "
                    "señales clásicas. Una respuesta esperada en una conversación en curso es "
                    "normal, aunque una petición rara siempre merece una segunda mirada."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un correo de «soporte informático» le pide confirmar su contraseña en un "
                    "enlace antes de las 17:00. ¿Qué hace?"
                ),
                kind="single",
                choices=(
                    _no("Pulsar el enlace para ver si la página parece auténtica"),
                    _yes("Notificarlo y, si duda, llamar a informática por una vía conocida"),
                    _no("Responder al correo para preguntar si es auténtico"),
                ),
                explanation=(
                    "Una página falsa puede ser idéntica a la real, y una respuesta va "
                    "directamente al atacante. Notificar y comprobar por una vía conocida no "
                    "tiene riesgo."
                ),
            ),
            SeedQuestion(
                prompt="Ha hecho clic y ha escrito su contraseña antes de darse cuenta. ¿Y ahora?",
                kind="single",
                choices=(
                    _no("Esperar a ver si ocurre algo raro"),
                    _yes("Avisar de inmediato y cambiar esa contraseña"),
                    _no("Borrar el correo y no decir nada, porque ya es tarde"),
                ),
                explanation=(
                    "Los primeros minutos cuentan: cambiar la contraseña y avisar al equipo de "
                    "seguridad puede frenar al atacante antes de que la use."
                ),
            ),
            SeedQuestion(
                prompt="¿Cómo puede ver adónde lleva de verdad un enlace antes de pulsarlo?",
                kind="single",
                choices=(
                    _yes("Pasando el puntero por encima, o manteniéndolo pulsado en el móvil"),
                    _no("Leyendo el texto del enlace en el mensaje"),
                    _no("Comprobando que el correo lleva el logotipo de la empresa"),
                ),
                explanation=(
                    "El texto de un enlace puede decir cualquier cosa; lo que importa es la "
                    "dirección a la que apunta. Los logotipos se copian con facilidad."
                ),
            ),
        ),
        pass_mark=60,
    ),
    # --- Exploit: spreadsheets ----------------------------------------------------------------
    SeedLesson(
        group="spreadsheet-productivity",
        language="en",
        level="exploit",
        topics=("spreadsheets", "productivity"),
        title="Spreadsheets: from daily use to full potential",
        summary=(
            "For people who already use spreadsheets every day: a handful of shortcuts and a few "
            "structural habits that turn hours of routine into minutes."
        ),
        body=_md(
            """
            ## From using to exploiting
            You already open a spreadsheet every day. The next step is not a new tool but doing
            the same work in less time and with fewer mistakes. Two levers matter most: the
            keyboard, and the shape of your data.

            ## Five shortcuts that pay back fastest
            These work in Excel, Google Sheets and LibreOffice on Windows and Linux; Mac keys
            differ a little, and every app lists its own under Help.

            - **Ctrl + arrow key** jumps to the last filled cell in that direction: ten thousand
              rows in one keystroke.
            - **Ctrl + Shift + arrow key** selects everything up to that cell, a whole column of
              data without dragging.
            - **Ctrl + Home** takes you back to cell A1, wherever you are.
            - **Ctrl + Space** selects the whole column, **Shift + Space** the whole row.
            - **F4** while editing a formula, in Excel and Google Sheets, cycles a reference
              through `$A$1`, `A$1`, `$A1` and `A1`.

            Learn one a week and keep it on a sticky note until your fingers know it.

            ## Structure that lets the tool help you
            1. One header row, one row per record, one kind of value per column.
            2. No merged cells and no blank rows inside the data: they break sorting, filters
               and the Ctrl + arrow jumps.
            3. Inputs such as rates and thresholds go in their own labelled cells; formulas
               refer to them instead of containing typed numbers.
            4. Freeze the header row so that it stays visible while you scroll.

            ## Let the spreadsheet summarise
            Once the data is a clean table, a pivot table answers "total per month and per team"
            in a minute, with no formulas to maintain. Filters replace copying subsets to new
            sheets, and conditional formatting highlights the cells that need attention, so your
            eye goes straight to them.

            ## Measure the gain
            Pick one task you repeat every week and time it today. Apply one habit from this
            lesson at a time, and time the task again in a month. The difference is usually
            large enough to convince a whole team, and it gives you a concrete story to tell
            when you teach someone else.
            """
        ),
        task=_md(
            """
            Which spreadsheet task do you repeat every week? Time it the next time you do it,
            and note the first step that you suspect could be done by the tool instead of you.
            """
        ),
        case_study=_md(
            """
            At Quillon Hotels, a fictitious hotel group, Rosa, a 52-year-old reservations
            manager, spends every Monday morning on the occupancy report: two and a half hours
            of copying rows from an export into a workbook and colouring cells by hand. She is a
            confident user; she simply never had time to step back.

            Her reverse mentor, Jae, is a 25-year-old revenue analyst. In the first working
            session he watches without touching anything. He notices merged headings and blank
            rows in the template, and that Rosa scrolls with the mouse through thousands of
            rows. They rebuild the sheet as one clean table.

            In the second session Rosa builds a pivot table by hotel and by week, and adds a
            rule that turns any occupancy under 60 % orange. She picks two shortcuts per
            session and sticks them to her screen.

            Six weeks later the Monday report takes thirty-five minutes. In return, Rosa shows
            Jae which figures reservation staff actually look at first thing in the morning; he
            removes four columns from his own dashboards.
            """
        ),
        questions=(
            SeedQuestion(
                prompt=(
                    "Which shortcut selects from the current cell down to the last filled cell "
                    "of the column?"
                ),
                kind="single",
                choices=(
                    _yes("Ctrl + Shift + Down arrow"),
                    _no("Ctrl + Down arrow"),
                    _no("Ctrl + Home"),
                ),
                explanation=(
                    "Adding Shift turns a jump into a selection. Ctrl + Down arrow only moves "
                    "the cursor, and Ctrl + Home goes back to cell A1."
                ),
            ),
            SeedQuestion(
                prompt="Which habits make data easier to sort, filter and summarise?",
                kind="multiple",
                choices=(
                    _yes("A single header row"),
                    _yes("One row per record"),
                    _no("Merged cells to group related headings"),
                    _no("Blank rows to separate sections"),
                ),
                explanation=(
                    "Tools expect a plain table. Merged cells and blank rows split it into "
                    "pieces, so sorting, filters and pivot tables see only part of the data."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "A tax rate of 0.2 is typed into three hundred formulas, and the rate is "
                    "about to change. What is the better design?"
                ),
                kind="single",
                choices=(
                    _yes("Put the rate in one labelled cell and refer to it, e.g. as $B$1"),
                    _no("Use find and replace on 0.2 whenever the rate changes"),
                    _no("Keep the typed value; formulas are easier to read that way"),
                ),
                explanation=(
                    "One labelled input cell is changed once and visible to everyone. Replacing "
                    "0.2 everywhere would also change any other 0.2 in the workbook."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "What is the quickest way to get total sales per month and per region from "
                    "a clean table of 5,000 rows?"
                ),
                kind="single",
                choices=(
                    _yes("A pivot table"),
                    _no("Copy each region to its own sheet and add SUM formulas"),
                    _no("Sort the rows and add subtotals by hand"),
                ),
                explanation=(
                    "A pivot table groups and totals in a few clicks and updates when the data "
                    "changes; the manual methods take longer and break when rows are added."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="spreadsheet-productivity",
        language="fr",
        level="exploit",
        topics=("spreadsheets", "productivity"),
        title="Le tableur : de l'usage quotidien à tout son potentiel",
        summary=(
            "Pour celles et ceux qui se servent déjà d'un tableur chaque jour : quelques "
            "raccourcis et quelques habitudes de structure qui transforment des heures en "
            "minutes."
        ),
        body=_md(
            """
            ## De l'usage à l'exploitation
            Vous ouvrez déjà un tableur tous les jours. L'étape suivante n'est pas un nouvel
            outil, mais faire le même travail plus vite et avec moins d'erreurs. Deux leviers
            comptent plus que les autres : le clavier et la forme de vos données.

            ## Cinq raccourcis vite rentabilisés
            Ils fonctionnent dans Excel, Google Sheets et LibreOffice sous Windows et Linux ;
            sur Mac, les touches diffèrent un peu, et chaque logiciel les liste dans son aide.

            - **Ctrl + flèche** saute à la dernière cellule remplie dans cette direction : dix
              mille lignes en une touche.
            - **Ctrl + Maj + flèche** sélectionne tout jusqu'à cette cellule, une colonne
              entière sans faire glisser la souris.
            - **Ctrl + Origine** (la touche ↖) ramène en A1, où que vous soyez.
            - **Ctrl + Espace** sélectionne la colonne entière, **Maj + Espace** la ligne.
            - **F4**, pendant la saisie d'une formule dans Excel ou Google Sheets, fait passer
              une référence par `$A$1`, `A$1`, `$A1` et `A1`.

            Apprenez-en un par semaine, et gardez-le sur un pense-bête jusqu'à ce que vos doigts
            le connaissent.

            ## Une structure qui laisse l'outil travailler
            1. Une seule ligne d'en-tête, une ligne par enregistrement, un type de valeur par
               colonne.
            2. Ni cellules fusionnées ni lignes vides au milieu des données : elles cassent le
               tri, les filtres et les sauts au clavier.
            3. Les paramètres, comme les taux ou les seuils, ont chacun leur cellule avec un
               libellé ; les formules y font référence au lieu de contenir des chiffres tapés.
            4. Figez la ligne d'en-tête pour qu'elle reste visible quand vous faites défiler.

            ## Laissez le tableur synthétiser
            Une fois les données rangées en tableau propre, un tableau croisé dynamique répond
            en une minute à « total par mois et par équipe », sans formule à entretenir. Les
            filtres évitent de recopier des morceaux dans d'autres feuilles, et la mise en forme
            conditionnelle fait ressortir les cellules qui méritent votre attention.

            ## Mesurez le gain
            Choisissez une tâche hebdomadaire et chronométrez-la aujourd'hui. Appliquez une
            habitude à la fois, puis chronométrez-la de nouveau dans un mois. L'écart suffit
            souvent à convaincre une équipe entière, et vous donne un exemple concret à raconter
            quand vous transmettrez à votre tour.
            """
        ),
        task=_md(
            """
            Quelle tâche de tableur répétez-vous chaque semaine ? Chronométrez-la la prochaine
            fois, et notez la première étape que l'outil pourrait sans doute faire à votre place.
            """
        ),
        case_study=_md(
            """
            Chez Hôtels Quillon, un groupe hôtelier imaginaire, Rose, responsable des
            réservations de 52 ans, consacre chaque lundi matin au rapport d'occupation : deux
            heures et demie à recopier des lignes d'un export dans un classeur et à colorier des
            cellules à la main. Elle est à l'aise avec l'outil ; elle n'a simplement jamais eu le
            temps de prendre du recul.

            Son mentor inversé, Jae, est analyste revenus et a 25 ans. À la première séance de
            travail, il observe sans toucher à rien. Il remarque des en-têtes fusionnés et des
            lignes vides dans le modèle, et que Rose fait défiler des milliers de lignes à la
            souris. Ils reconstruisent la feuille en un seul tableau propre.

            À la deuxième séance, Rose crée un tableau croisé dynamique par hôtel et par
            semaine, et ajoute une règle qui colore en orange tout taux d'occupation inférieur à
            60 %. Elle choisit deux raccourcis par séance et les colle au bord de son écran.

            Six semaines plus tard, le rapport du lundi prend trente-cinq minutes. En retour,
            Rose montre à Jae les chiffres que les équipes de réservation regardent vraiment en
            premier le matin ; il retire quatre colonnes de ses propres tableaux de bord.
            """
        ),
        questions=(
            SeedQuestion(
                prompt=(
                    "Quel raccourci sélectionne de la cellule active jusqu'à la dernière cellule "
                    "remplie de la colonne ?"
                ),
                kind="single",
                choices=(
                    _yes("Ctrl + Maj + flèche bas"),
                    _no("Ctrl + flèche bas"),
                    _no("Ctrl + Origine"),
                ),
                explanation=(
                    "Ajouter Maj transforme le saut en sélection. Ctrl + flèche bas déplace "
                    "seulement le curseur, et Ctrl + Origine ramène en A1."
                ),
            ),
            SeedQuestion(
                prompt="Quelles habitudes facilitent le tri, le filtrage et la synthèse ?",
                kind="multiple",
                choices=(
                    _yes("Une seule ligne d'en-tête"),
                    _yes("Une ligne par enregistrement"),
                    _no("Des cellules fusionnées pour regrouper les titres"),
                    _no("Des lignes vides pour séparer les sections"),
                ),
                explanation=(
                    "Les outils attendent un tableau simple. Fusions et lignes vides le coupent "
                    "en morceaux : tri, filtres et tableaux croisés ne voient alors qu'une "
                    "partie des données."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un taux de 0,2 est tapé dans trois cents formules, et il va changer. "
                    "Quelle est la meilleure conception ?"
                ),
                kind="single",
                choices=(
                    _yes("Placer le taux dans une cellule avec un libellé et y faire référence"),
                    _no("Remplacer 0,2 partout avec Rechercher et remplacer à chaque changement"),
                    _no("Garder la valeur tapée : les formules sont plus lisibles ainsi"),
                ),
                explanation=(
                    "Une cellule de paramètre se modifie une seule fois et reste visible de "
                    "tous. Remplacer 0,2 partout toucherait aussi les autres 0,2 du classeur."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Quel est le moyen le plus rapide d'obtenir le total des ventes par mois et "
                    "par région à partir d'un tableau propre de 5 000 lignes ?"
                ),
                kind="single",
                choices=(
                    _yes("Un tableau croisé dynamique"),
                    _no("Copier chaque région dans sa propre feuille et ajouter des SOMME"),
                    _no("Trier les lignes et calculer les sous-totaux à la main"),
                ),
                explanation=(
                    "Le tableau croisé dynamique regroupe et totalise en quelques clics, et se "
                    "met à jour avec les données ; les méthodes manuelles prennent plus de "
                    "temps et cassent dès qu'on ajoute des lignes."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="spreadsheet-productivity",
        language="es",
        level="exploit",
        topics=("spreadsheets", "productivity"),
        title="Hojas de cálculo: del uso diario a todo su potencial",
        summary=(
            "Para quien ya usa hojas de cálculo a diario: unos cuantos atajos y algunos hábitos "
            "de estructura que convierten horas de rutina en minutos."
        ),
        body=_md(
            """
            ## De usarla a sacarle partido
            Ya abre una hoja de cálculo todos los días. El siguiente paso no es una herramienta
            nueva, sino hacer el mismo trabajo en menos tiempo y con menos errores. Hay dos
            palancas que pesan más que el resto: el teclado y la forma de sus datos.

            ## Cinco atajos que se amortizan enseguida
            Funcionan en Excel, Google Sheets y LibreOffice con Windows y Linux; en Mac las
            teclas cambian un poco, y cada programa las recoge en su ayuda.

            - **Ctrl + flecha** salta a la última celda con datos en esa dirección: diez mil
              filas de una sola vez.
            - **Ctrl + Mayús + flecha** selecciona todo hasta esa celda, una columna entera sin
              arrastrar el ratón.
            - **Ctrl + Inicio** le devuelve a la celda A1, esté donde esté.
            - **Ctrl + barra espaciadora** selecciona la columna entera, y **Mayús + barra
              espaciadora**, la fila.
            - **F4**, mientras edita una fórmula en Excel o Google Sheets, hace pasar una
              referencia por `$A$1`, `A$1`, `$A1` y `A1`.

            Aprenda uno por semana y téngalo en una nota adhesiva hasta que lo sepan sus dedos.

            ## Una estructura que deja trabajar a la herramienta
            1. Una sola fila de encabezados, una fila por registro y un tipo de dato por
               columna.
            2. Nada de celdas combinadas ni filas vacías dentro de los datos: estropean la
               ordenación, los filtros y los saltos con el teclado.
            3. Los parámetros, como tipos o umbrales, van en su propia celda con una etiqueta;
               las fórmulas hacen referencia a ella en vez de llevar cifras escritas a mano.
            4. Inmovilice la fila de encabezados para que siga visible al desplazarse.

            ## Deje que la hoja resuma
            Con los datos en una tabla limpia, una tabla dinámica responde en un minuto a
            «total por mes y por equipo», sin fórmulas que mantener. Los filtros evitan copiar
            trozos a otras hojas, y el formato condicional resalta las celdas que requieren
            atención para que la vista vaya directa a ellas.

            ## Mida lo que gana
            Elija una tarea que repita cada semana y cronométrela hoy. Aplique un hábito cada
            vez y vuelva a cronometrarla dentro de un mes. La diferencia suele bastar para
            convencer a todo un equipo, y le da un ejemplo concreto que contar cuando sea usted
            quien enseñe.
            """
        ),
        task=_md(
            """
            ¿Qué tarea de hoja de cálculo repite cada semana? Cronométrela la próxima vez y
            anote el primer paso que, según sospecha, podría hacer la herramienta por usted.
            """
        ),
        case_study=_md(
            """
            En Hoteles Quillón, una cadena hotelera ficticia, Rosa, jefa de reservas de 52
            años, dedica todos los lunes por la mañana al informe de ocupación: dos horas y
            media copiando filas de una exportación a un libro y coloreando celdas a mano. Se
            maneja bien con la herramienta; simplemente nunca ha tenido tiempo de pararse a
            pensar.

            Su mentor inverso, Jae, es analista de ingresos y tiene 25 años. En la primera
            sesión de trabajo observa sin tocar nada. Se fija en que la plantilla tiene
            encabezados combinados y filas vacías, y en que Rosa recorre miles de filas con la
            rueda del ratón. Rehacen la hoja como una única tabla limpia.

            En la segunda sesión Rosa crea una tabla dinámica por hotel y por semana, y añade
            una regla que pinta de naranja cualquier ocupación inferior al 60 %. Escoge dos
            atajos por sesión y los pega en el borde de la pantalla.

            Seis semanas después, el informe del lunes le lleva treinta y cinco minutos. A
            cambio, Rosa le enseña a Jae qué cifras miran de verdad los recepcionistas a primera
            hora; él quita cuatro columnas de sus propios cuadros de mando.
            """
        ),
        questions=(
            SeedQuestion(
                prompt=(
                    "¿Qué atajo selecciona desde la celda actual hasta la última celda con datos "
                    "de la columna?"
                ),
                kind="single",
                choices=(
                    _yes("Ctrl + Mayús + flecha abajo"),
                    _no("Ctrl + flecha abajo"),
                    _no("Ctrl + Inicio"),
                ),
                explanation=(
                    "Añadir Mayús convierte el salto en una selección. Ctrl + flecha abajo solo "
                    "mueve el cursor, y Ctrl + Inicio vuelve a la celda A1."
                ),
            ),
            SeedQuestion(
                prompt="¿Qué hábitos facilitan ordenar, filtrar y resumir los datos?",
                kind="multiple",
                choices=(
                    _yes("Una sola fila de encabezados"),
                    _yes("Una fila por registro"),
                    _no("Celdas combinadas para agrupar títulos relacionados"),
                    _no("Filas vacías para separar secciones"),
                ),
                explanation=(
                    "Las herramientas esperan una tabla sencilla. Las celdas combinadas y las "
                    "filas vacías la parten en trozos, y la ordenación, los filtros y las tablas "
                    "dinámicas solo ven una parte."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un tipo de 0,2 está escrito en trescientas fórmulas y va a cambiar. ¿Cuál "
                    "es el mejor diseño?"
                ),
                kind="single",
                choices=(
                    _yes("Poner el tipo en una celda con etiqueta y hacer referencia a ella"),
                    _no("Usar Buscar y reemplazar con 0,2 cada vez que cambie"),
                    _no("Dejar la cifra escrita: así las fórmulas se leen mejor"),
                ),
                explanation=(
                    "Una celda de parámetro se cambia una sola vez y está a la vista de todos. "
                    "Reemplazar 0,2 en todo el libro cambiaría también cualquier otro 0,2."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "¿Cuál es la forma más rápida de obtener las ventas totales por mes y por "
                    "región a partir de una tabla limpia de 5.000 filas?"
                ),
                kind="single",
                choices=(
                    _yes("Una tabla dinámica"),
                    _no("Copiar cada región en su propia hoja y añadir fórmulas SUMA"),
                    _no("Ordenar las filas y calcular los subtotales a mano"),
                ),
                explanation=(
                    "La tabla dinámica agrupa y suma en unos clics y se actualiza con los "
                    "datos; los métodos manuales tardan más y fallan en cuanto se añaden filas."
                ),
            ),
        ),
        pass_mark=60,
    ),
    # --- Discover: short video for internal communication -------------------------------------
    SeedLesson(
        group="short-video-basics",
        language="en",
        level="discover",
        topics=("short_video", "internal_communication"),
        title="Your first short video for internal communication",
        summary=(
            "How to plan, film and publish a one-minute video with nothing but a phone, so that "
            "colleagues actually watch your message to the end."
        ),
        body=_md(
            """
            ## Why a short video
            A video of a minute or so can replace a long announcement by e-mail. Colleagues
            watch it on a phone between two meetings, and they see a face and hear a voice,
            which builds trust in teams that rarely meet. It does not need a studio: a phone,
            a window and a quiet room are enough.

            ## Plan before you film
            - **One message per video.** If you cannot say it in one sentence, it is two
              videos.
            - **Open with why it matters to the viewer,** not with who you are.
            - **Aim for sixty to ninety seconds.** Write down the first and last sentences; the
              middle can be spoken naturally.
            - **Think about where it will be watched.** On a phone, often without sound, so
              plan for captions from the start.

            ## Filming with a phone
            1. Choose the frame for the screen: upright for phones, landscape for a meeting
               room screen.
            2. Face the light. A window in front of you beats any filter.
            3. Sound matters more than image: find a quiet room and stay close to the phone,
               or use the microphone on your earphones.
            4. Keep the phone at eye level and steady; a pile of books works fine.
            5. Record in short takes. You can cut between them and nobody needs to be word
               perfect.

            ## Editing and publishing
            Trim the start and the end, add a title, and add captions. Most editing apps
            generate captions automatically; read them through, because they often get names
            and jargon wrong. Anyone who appears in the video, even in the background, must
            have agreed to it, and no confidential screen or document should be visible.

            Publish on the channel your colleagues already use, with two lines of text that
            sum up the message for those who cannot watch. Then read the replies: a short
            video often starts a conversation that a long e-mail never did.
            """
        ),
        task=_md(
            """
            Which message did you send by e-mail recently that might have worked better as a
            one-minute video? Write its single-sentence version.
            """
        ),
        case_study=_md(
            """
            At Peregrine Water, a fictitious utility, Odile, a 60-year-old site director, sends
            a monthly safety e-mail of 1,500 words. Few people open it, and fewer finish it.

            Her reverse mentor, Sami, a 27-year-old field technician who posts climbing videos
            in his spare time, suggests short videos filmed on site by Odile herself. Her
            first attempt lasts six minutes, is read from notes and is filmed with a bright
            window behind her.

            In their next session they work on it together: one message per video ("the new
            lockout tag is yellow, and here is why"), Odile facing the light, three short takes
            cut together. The automatic captions turn "lockout" into "lock-up"; Odile corrects
            them before publishing.

            The video lasts seventy-five seconds. Technicians watch it on their phones in the
            canteen and reply with questions of their own. In return, Odile teaches Sami how to
            handle critical comments calmly, and when to answer in person rather than online.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="What length suits an internal announcement video best?",
                kind="single",
                choices=(
                    _yes("About sixty to ninety seconds"),
                    _no("Around ten minutes, to cover everything"),
                    _no("As long as the full e-mail would take to read aloud"),
                ),
                explanation=(
                    "A minute or so holds attention on a phone and forces one clear message. "
                    "Details can go in the text that accompanies the video."
                ),
            ),
            SeedQuestion(
                prompt="Which of these improve a phone video the most?",
                kind="multiple",
                choices=(
                    _yes("Facing a window rather than having it behind you"),
                    _yes("A quiet room, with the microphone close to you"),
                    _yes("Captions, checked for mistakes"),
                    _no("Zooming in digitally as far as possible"),
                ),
                explanation=(
                    "Light, sound and captions make the biggest difference. Digital zoom only "
                    "enlarges pixels and makes the image blurry; move the phone closer instead."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "A colleague walked through the background while you were filming. What do "
                    "you do before publishing?"
                ),
                kind="single",
                choices=(
                    _yes("Ask them whether they agree, or cut that part out"),
                    _no("Publish it: they are only visible for two seconds"),
                    _no("Add a caption with their name so that nobody is confused"),
                ),
                explanation=(
                    "Everyone who appears in a video should have agreed to it, however briefly "
                    "they appear. Naming them without asking makes it worse, not better."
                ),
            ),
            SeedQuestion(
                prompt="Why are captions worth adding to an internal video?",
                kind="single",
                choices=(
                    _yes("Many people watch without sound, and captions make it accessible"),
                    _no("They make the video file smaller"),
                    _no("They let you skip checking the audio"),
                ),
                explanation=(
                    "Captions reach people watching in an open-plan office or on a train, and "
                    "colleagues who are deaf or hard of hearing. Good sound still matters."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="short-video-basics",
        language="fr",
        level="discover",
        topics=("short_video", "internal_communication"),
        title="Votre première vidéo courte pour la communication interne",
        summary=(
            "Préparer, tourner et publier une vidéo d'une minute avec un simple téléphone, pour "
            "que vos collègues regardent votre message jusqu'au bout."
        ),
        body=_md(
            """
            ## Pourquoi une vidéo courte ?
            Une vidéo d'une minute environ peut remplacer une longue annonce par courriel. Vos
            collègues la regardent sur leur téléphone entre deux réunions ; ils voient un visage
            et entendent une voix, ce qui crée de la confiance dans des équipes qui se croisent
            peu. Nul besoin de studio : un téléphone, une fenêtre et une pièce calme suffisent.

            ## Préparer avant de tourner
            - **Un message par vidéo.** S'il ne tient pas en une phrase, c'est qu'il y a deux
              vidéos.
            - **Commencez par ce que le spectateur y gagne,** pas par qui vous êtes.
            - **Visez soixante à quatre-vingt-dix secondes.** Écrivez la première et la
              dernière phrase ; le reste peut se dire naturellement.
            - **Pensez à l'endroit où elle sera vue :** sur un téléphone, souvent sans le son.
              Prévoyez donc des sous-titres dès le départ.

            ## Tourner avec un téléphone
            1. Choisissez le cadrage selon l'écran : vertical pour les téléphones, horizontal
               pour un écran de salle de réunion.
            2. Placez-vous face à la lumière. Une fenêtre devant vous vaut tous les filtres.
            3. Le son compte plus que l'image : une pièce calme, le téléphone proche, ou le
               micro de vos écouteurs.
            4. Téléphone stable et à hauteur des yeux : une pile de livres fait l'affaire.
            5. Tournez en courtes prises. Vous couperez entre elles, inutile d'être parfait
               d'un bout à l'autre.

            ## Monter et publier
            Coupez le début et la fin, ajoutez un titre et des sous-titres. La plupart des
            applications de montage les génèrent automatiquement ; relisez-les, car les noms
            propres et le jargon y sont souvent écorchés. Toute personne visible, même à
            l'arrière-plan, doit avoir donné son accord, et aucun écran ni document
            confidentiel ne doit apparaître.

            Publiez sur le canal que vos collègues utilisent déjà, avec deux lignes de texte qui
            résument le message pour ceux qui ne peuvent pas regarder. Puis lisez les
            réponses : une vidéo courte lance souvent une discussion qu'un long courriel
            n'aurait jamais suscitée.
            """
        ),
        task=_md(
            """
            Quel message récent, envoyé par courriel, aurait mieux fonctionné en vidéo d'une
            minute ? Écrivez-en la version en une seule phrase.
            """
        ),
        case_study=_md(
            """
            Chez Eaux du Pèlerin, un distributeur d'eau imaginaire, Odile, directrice de site de
            60 ans, envoie chaque mois un courriel de 1 500 mots sur la sécurité. Peu de gens
            l'ouvrent, et moins encore le lisent jusqu'au bout.

            Son mentor inversé, Sami, technicien d'intervention de 27 ans qui publie des vidéos
            d'escalade sur son temps libre, lui suggère de courtes vidéos tournées sur le site
            par Odile elle-même. Son premier essai dure six minutes, lu sur des notes, avec une
            fenêtre lumineuse dans son dos.

            À la séance suivante, ils la reprennent ensemble : un message par vidéo (« la
            nouvelle étiquette de consignation est jaune, et voici pourquoi »), Odile face à la
            lumière, trois courtes prises montées bout à bout. Les sous-titres automatiques
            transforment « consignation » en « consigne à Sion » ; Odile les corrige avant de
            publier.

            La vidéo dure soixante-quinze secondes. Les techniciens la regardent sur leur
            téléphone à la cantine et répondent avec leurs propres questions. En retour, Odile
            apprend à Sami à accueillir calmement les commentaires critiques, et à savoir quand
            répondre de vive voix plutôt qu'en ligne.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Quelle durée convient le mieux à une vidéo d'annonce interne ?",
                kind="single",
                choices=(
                    _yes("Environ soixante à quatre-vingt-dix secondes"),
                    _no("Une dizaine de minutes, pour tout couvrir"),
                    _no("Le temps qu'il faudrait pour lire le courriel complet à voix haute"),
                ),
                explanation=(
                    "Une minute environ retient l'attention sur un téléphone et oblige à un "
                    "message clair. Les détails peuvent figurer dans le texte qui accompagne la "
                    "vidéo."
                ),
            ),
            SeedQuestion(
                prompt="Qu'est-ce qui améliore le plus une vidéo tournée au téléphone ?",
                kind="multiple",
                choices=(
                    _yes("Être face à la fenêtre plutôt que dos à elle"),
                    _yes("Une pièce calme, avec le micro près de vous"),
                    _yes("Des sous-titres relus"),
                    _no("Zoomer numériquement au maximum"),
                ),
                explanation=(
                    "Lumière, son et sous-titres font la plus grande différence. Le zoom "
                    "numérique ne fait qu'agrandir les pixels et rend l'image floue : "
                    "rapprochez plutôt le téléphone."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un collègue est passé à l'arrière-plan pendant le tournage. Que faites-vous "
                    "avant de publier ?"
                ),
                kind="single",
                choices=(
                    _yes("Lui demander son accord, ou couper ce passage"),
                    _no("Publier : on ne le voit que deux secondes"),
                    _no("Ajouter son nom en légende pour éviter toute confusion"),
                ),
                explanation=(
                    "Toute personne qui apparaît dans une vidéo doit avoir donné son accord, "
                    "même pour un instant. La nommer sans lui demander aggrave les choses."
                ),
            ),
            SeedQuestion(
                prompt="Pourquoi ajouter des sous-titres à une vidéo interne ?",
                kind="single",
                choices=(
                    _yes("Beaucoup regardent sans le son, et cela rend la vidéo accessible"),
                    _no("Ils réduisent la taille du fichier"),
                    _no("Ils dispensent de soigner le son"),
                ),
                explanation=(
                    "Les sous-titres touchent ceux qui regardent en open space ou dans le train, "
                    "ainsi que les collègues sourds ou malentendants. Un bon son reste "
                    "indispensable."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="short-video-basics",
        language="es",
        level="discover",
        topics=("short_video", "internal_communication"),
        title="Su primer vídeo corto para la comunicación interna",
        summary=(
            "Cómo preparar, grabar y publicar un vídeo de un minuto solo con el móvil, para que "
            "sus compañeros vean su mensaje hasta el final."
        ),
        body=_md(
            """
            ## Por qué un vídeo corto
            Un vídeo de más o menos un minuto puede sustituir a un largo anuncio por correo. Los
            compañeros lo ven en el móvil entre dos reuniones; ven una cara y oyen una voz, y
            eso genera confianza en equipos que apenas coinciden. No hace falta un estudio: un
            móvil, una ventana y una sala tranquila bastan.

            ## Preparar antes de grabar
            - **Un mensaje por vídeo.** Si no cabe en una frase, son dos vídeos.
            - **Empiece por lo que gana quien lo ve,** no por quién es usted.
            - **Apunte a entre sesenta y noventa segundos.** Escriba la primera y la última
              frase; lo demás puede decirse con naturalidad.
            - **Piense dónde se verá:** en el móvil y muchas veces sin sonido, así que cuente
              con subtítulos desde el principio.

            ## Grabar con el móvil
            1. Elija el formato según la pantalla: vertical para móviles, horizontal para la
               pantalla de una sala de reuniones.
            2. Póngase de cara a la luz. Una ventana delante vale más que cualquier filtro.
            3. El sonido importa más que la imagen: una sala tranquila y el móvil cerca, o el
               micrófono de los auriculares.
            4. El móvil, estable y a la altura de los ojos; unos cuantos libros apilados sirven.
            5. Grabe en tomas cortas. Podrá cortar entre ellas y nadie tiene que hacerlo
               perfecto de principio a fin.

            ## Editar y publicar
            Recorte el principio y el final, añada un título y subtítulos. Casi todas las
            aplicaciones de edición los generan solas; revíselos, porque suelen equivocarse
            con los nombres propios y la jerga. Cualquier persona que salga en el vídeo,
            aunque sea al fondo, tiene que haber dado su permiso, y no debe verse ninguna
            pantalla ni documento confidencial.

            Publíquelo en el canal que sus compañeros ya usan, con dos líneas de texto que
            resuman el mensaje para quien no pueda verlo. Y luego lea las respuestas: un vídeo
            corto suele abrir una conversación que un correo largo nunca consiguió.
            """
        ),
        task=_md(
            """
            ¿Qué mensaje que envió hace poco por correo habría funcionado mejor como vídeo de un
            minuto? Escriba su versión en una sola frase.
            """
        ),
        case_study=_md(
            """
            En Aguas del Halcón, una empresa de suministro ficticia, Olga, directora de planta de
            60 años, envía cada mes un correo de 1.500 palabras sobre seguridad. Pocos lo abren y
            menos aún lo terminan.

            Su mentor inverso, Samuel, técnico de campo de 27 años que sube vídeos de escalada
            en su tiempo libre, le propone vídeos cortos grabados en la planta por la propia
            Olga. El primer intento dura seis minutos, está leído de unas notas y tiene una
            ventana muy luminosa detrás.

            En la siguiente sesión lo rehacen juntos: un mensaje por vídeo («la nueva etiqueta
            de bloqueo es amarilla, y esto es por qué»), Olga de cara a la luz, tres tomas
            cortas montadas una tras otra. Los subtítulos automáticos convierten «bloqueo» en
            «bloque o»; Olga los corrige antes de publicar.

            El vídeo dura setenta y cinco segundos. Los técnicos lo ven en el móvil en el
            comedor y responden con sus propias preguntas. A cambio, Olga enseña a Samuel a
            recibir con calma los comentarios críticos y a saber cuándo conviene responder en
            persona y no por escrito.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="¿Qué duración es la más adecuada para un vídeo de anuncio interno?",
                kind="single",
                choices=(
                    _yes("Entre sesenta y noventa segundos, más o menos"),
                    _no("Unos diez minutos, para cubrirlo todo"),
                    _no("Lo que se tardaría en leer en voz alta el correo completo"),
                ),
                explanation=(
                    "Un minuto aproximadamente mantiene la atención en el móvil y obliga a un "
                    "mensaje claro. Los detalles pueden ir en el texto que acompaña al vídeo."
                ),
            ),
            SeedQuestion(
                prompt="¿Qué mejora más un vídeo grabado con el móvil?",
                kind="multiple",
                choices=(
                    _yes("Estar de cara a la ventana en lugar de tenerla detrás"),
                    _yes("Una sala tranquila, con el micrófono cerca"),
                    _yes("Subtítulos revisados"),
                    _no("Usar el zoom digital al máximo"),
                ),
                explanation=(
                    "Luz, sonido y subtítulos son lo que más se nota. El zoom digital solo "
                    "agranda los píxeles y emborrona la imagen: mejor acerque el móvil."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un compañero pasó por detrás mientras grababa. ¿Qué hace antes de publicar?"
                ),
                kind="single",
                choices=(
                    _yes("Pedirle permiso o cortar ese fragmento"),
                    _no("Publicarlo: solo sale dos segundos"),
                    _no("Añadir su nombre en un rótulo para que nadie se confunda"),
                ),
                explanation=(
                    "Todo el que aparece en un vídeo debe haber dado su permiso, aunque salga "
                    "un instante. Nombrarle sin preguntar lo empeora."
                ),
            ),
            SeedQuestion(
                prompt="¿Por qué merece la pena subtitular un vídeo interno?",
                kind="single",
                choices=(
                    _yes("Mucha gente lo ve sin sonido, y los subtítulos lo hacen accesible"),
                    _no("Reducen el tamaño del archivo"),
                    _no("Permiten no preocuparse por el sonido"),
                ),
                explanation=(
                    "Los subtítulos llegan a quien lo ve en una oficina abierta o en el tren, y "
                    "a los compañeros sordos o con pérdida auditiva. Un buen sonido sigue siendo "
                    "imprescindible."
                ),
            ),
        ),
        pass_mark=60,
    ),
    # --- Deepen: feedback across generations --------------------------------------------------
    SeedLesson(
        group="feedback-across-generations",
        language="en",
        level="deepen",
        topics=("feedback", "mentoring"),
        title="Giving feedback across generations",
        summary=(
            "A simple structure for feedback that lands whatever the age gap, including the "
            "tricky case of a junior colleague giving feedback to a senior one."
        ),
        body=_md(
            """
            ## Why it gets tangled
            Generations differ less than stereotypes suggest, but habits do differ. Some people
            learned feedback through annual reviews and careful written comments; others
            through instant reactions in a chat. A quick thumbs-up can read as offhand to one
            person, while a two-page e-mail can feel like a reprimand to another. Reverse
            mentoring adds a twist: the junior person now gives feedback to the senior one,
            which can feel awkward on both sides.

            ## A structure that travels well
            1. **Ask first.** "Would you like some feedback on the presentation?" leaves the
               other person in control.
            2. **Describe what you saw,** as a fact: "you shared your whole screen for twenty
               minutes", not "you are bad at this".
            3. **Say what it caused:** "people at the back could not read the figures".
            4. **Suggest, or ask:** "next time, shall we try zooming in?" or "what do you think
               would help?"

            Make praise just as specific. "Your opening question got everyone talking" teaches
            far more than "great job", because it says exactly what to do again.

            ## Choose the channel and the moment
            - Anything significant or sensitive deserves a conversation, not a chat message.
            - Ask how the other person prefers to receive feedback: some like a written note to
              reread, others a quick word straight after.
            - Give it soon, in private, and limit yourself to two or three points.

            ## Receiving it well
            Listen to the end, thank the person, ask one question to make sure you understood,
            and decide later what you will do with it. This applies in both directions, and
            seeing a senior colleague receive feedback gracefully is often what gives a junior
            one the courage to ask for it.

            ## What to leave out
            Leave age out of it. "For someone your age" or "you digital natives" turns a remark
            about a piece of work into a judgement about a person, and the conversation stops
            there.
            """
        ),
        task=_md(
            """
            Recall a piece of feedback that really helped you. Which of the four steps did it
            contain, and how was it delivered?
            """
        ),
        case_study=_md(
            """
            At Corvin Architects, a fictitious practice, Lea, a 24-year-old designer, and
            Patrick, a 57-year-old partner, form a mutual pair: she teaches him a 3D
            visualisation tool, he helps her with client presentations.

            After Lea's first client pitch, Patrick sends her a long e-mail listing nine points.
            Lea reads it as a verdict that she failed and avoids him for two days. Meanwhile,
            her only comment on Patrick's first 3D model was a thumbs-up in the chat, and he
            cannot tell whether she was being polite.

            At their monthly session they talk about both. They agree on four rules: ask first;
            say the fact, its effect and a suggestion; no more than three points; anything
            important is said aloud, then summed up in two lines.

            After the next pitch Patrick says: "When the client asked about the budget, you
            looked at me. You know those numbers; answer yourself." Lea tells him: "Your model
            showed forty layers at once; hide all but three and the client will see the idea."
            Both act on it the following week.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Which of these is an observation rather than a judgement?",
                kind="single",
                choices=(
                    _no("You are not very comfortable with technology"),
                    _yes("You looked for the mute button three times during the call"),
                    _no("You are too slow with the new tool"),
                ),
                explanation=(
                    "An observation describes what happened and can be checked. A judgement "
                    "describes the person, which invites defence rather than change."
                ),
            ),
            SeedQuestion(
                prompt="Which practices help when you give feedback to a more senior colleague?",
                kind="multiple",
                choices=(
                    _yes("Asking first whether they would like feedback"),
                    _yes("Describing a fact and its effect"),
                    _no("Softening it by saying that it is normal at their age"),
                    _no("Giving it during the team meeting so that everyone learns"),
                ),
                explanation=(
                    "Asking and describing keep the feedback about the work. Age remarks make it "
                    "about the person, and an audience turns feedback into embarrassment."
                ),
            ),
            SeedQuestion(
                prompt=(
                    'Why is "Your opening question got everyone talking" more useful than '
                    '"Great job"?'
                ),
                kind="single",
                choices=(
                    _yes("It says precisely what worked, so the person can do it again"),
                    _no("It is longer, so it sounds more sincere"),
                    _no("It avoids giving any praise at all"),
                ),
                explanation=(
                    "Specific praise is feedback too: it points to a behaviour worth repeating. "
                    "Vague praise is pleasant but teaches nothing."
                ),
            ),
            SeedQuestion(
                prompt="You receive feedback you disagree with. What is the best first response?",
                kind="single",
                choices=(
                    _no("Explain straight away why the other person is mistaken"),
                    _yes("Listen, thank them, ask a question, and decide later"),
                    _no("Say nothing and ignore it"),
                ),
                explanation=(
                    "Understanding comes before deciding. You remain free to disagree later, "
                    "and the other person will still be willing to give you feedback next time."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="feedback-across-generations",
        language="fr",
        level="deepen",
        topics=("feedback", "mentoring"),
        title="Donner du feedback entre générations",
        summary=(
            "Une structure simple pour un retour qui porte, quel que soit l'écart d'âge, y "
            "compris quand un junior s'adresse à un senior."
        ),
        body=_md(
            """
            ## Pourquoi ça se complique
            Les générations se ressemblent plus que ne le disent les clichés, mais les habitudes
            diffèrent. Certains ont appris le feedback avec l'entretien annuel et des
            commentaires écrits soigneusement pesés ; d'autres avec des réactions instantanées
            dans une messagerie. Un pouce levé peut sembler désinvolte aux uns, tandis qu'un
            courriel de deux pages passe pour un rappel à l'ordre aux yeux des autres. Le
            mentorat inversé ajoute une difficulté : c'est désormais le plus jeune qui fait un
            retour au plus expérimenté, ce qui peut gêner les deux.

            ## Une structure qui voyage bien
            1. **Demandez d'abord.** « Veux-tu un retour sur ta présentation ? » laisse l'autre
               maître de la situation.
            2. **Décrivez ce que vous avez vu,** comme un fait : « tu as partagé tout ton écran
               pendant vingt minutes », et non « tu n'es pas doué ».
            3. **Dites ce que cela a produit :** « au fond de la salle, on ne lisait pas les
               chiffres ».
            4. **Proposez, ou interrogez :** « la prochaine fois, on essaie de zoomer ? » ou
               « qu'est-ce qui t'aiderait, selon toi ? »

            Soyez aussi précis dans le compliment. « Ta question d'ouverture a lancé la
            discussion » apprend bien plus que « super », parce qu'elle dit quoi refaire.

            ## Le bon canal, le bon moment
            - Un retour important ou délicat mérite une conversation, pas un message.
            - Demandez comment l'autre préfère recevoir un retour : certains aiment une note
              écrite à relire, d'autres un mot juste après.
            - Faites-le vite, en tête-à-tête, et tenez-vous-en à deux ou trois points.

            ## Bien le recevoir
            Écoutez jusqu'au bout, remerciez, posez une question pour vérifier que vous avez
            compris, et décidez plus tard de ce que vous en ferez. Cela vaut dans les deux sens ;
            voir un senior accueillir un retour avec simplicité donne souvent au junior le
            courage d'en demander.

            ## Ce qu'il vaut mieux taire
            Laissez l'âge de côté. « À ton âge » ou « vous, les digital natives » transforment
            une remarque sur un travail en jugement sur une personne, et la conversation
            s'arrête là.
            """
        ),
        task=_md(
            """
            Souvenez-vous d'un retour qui vous a vraiment aidé. Lesquelles des quatre étapes
            contenait-il, et comment vous a-t-il été transmis ?
            """
        ),
        case_study=_md(
            """
            Au cabinet Corvin Architectes, une agence imaginaire, Léa, designer de 24 ans, et
            Patrick, associé de 57 ans, forment un binôme mutuel : elle lui apprend un outil de
            visualisation 3D, il l'aide à présenter devant les clients.

            Après la première présentation client de Léa, Patrick lui envoie un long courriel
            en neuf points. Léa y lit le constat d'un échec et l'évite pendant deux jours. De son
            côté, son seul commentaire sur la première maquette 3D de Patrick a été un pouce levé
            dans la messagerie, et il ne sait pas si elle était simplement polie.

            À leur séance mensuelle, ils en parlent. Ils conviennent de quatre règles :
            demander d'abord ; dire le fait, son effet et une proposition ; trois points au
            maximum ; l'essentiel se dit de vive voix, puis se résume en deux lignes.

            Après la présentation suivante, Patrick lui dit : « Quand le client a parlé budget,
            tu m'as regardé. Tu connais ces chiffres : réponds toi-même. » Léa lui répond :
            « Ta maquette affichait quarante calques à la fois ; n'en garde que trois et le
            client verra l'idée. » Chacun s'y met dès la semaine suivante.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Laquelle de ces phrases est une observation plutôt qu'un jugement ?",
                kind="single",
                choices=(
                    _no("Tu n'es pas très à l'aise avec la technologie"),
                    _yes("Tu as cherché trois fois le bouton du micro pendant la réunion"),
                    _no("Tu es trop lent avec le nouvel outil"),
                ),
                explanation=(
                    "Une observation décrit ce qui s'est passé et peut se vérifier. Un jugement "
                    "porte sur la personne, ce qui pousse à se défendre plutôt qu'à changer."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Quelles pratiques aident quand vous faites un retour à un collègue plus "
                    "expérimenté ?"
                ),
                kind="multiple",
                choices=(
                    _yes("Lui demander d'abord s'il souhaite un retour"),
                    _yes("Décrire un fait et son effet"),
                    _no("Adoucir en précisant que c'est normal à son âge"),
                    _no("Le faire en réunion d'équipe pour que tout le monde en profite"),
                ),
                explanation=(
                    "Demander et décrire gardent le retour centré sur le travail. Parler d'âge "
                    "le recentre sur la personne, et un public transforme le retour en gêne."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Pourquoi « Ta question d'ouverture a lancé la discussion » est-il plus "
                    "utile que « Super » ?"
                ),
                kind="single",
                choices=(
                    _yes("Il dit précisément ce qui a marché, pour pouvoir le refaire"),
                    _no("Il est plus long, donc il paraît plus sincère"),
                    _no("Il évite de faire le moindre compliment"),
                ),
                explanation=(
                    "Un compliment précis est aussi un retour : il désigne un comportement à "
                    "reproduire. Un compliment vague fait plaisir, mais n'apprend rien."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "On vous fait un retour avec lequel vous n'êtes pas d'accord. Quelle est la "
                    "meilleure première réaction ?"
                ),
                kind="single",
                choices=(
                    _no("Expliquer immédiatement pourquoi l'autre se trompe"),
                    _yes("Écouter, remercier, poser une question, et décider plus tard"),
                    _no("Ne rien dire et l'ignorer"),
                ),
                explanation=(
                    "Comprendre vient avant décider. Vous restez libre d'être en désaccord "
                    "ensuite, et l'autre osera encore vous faire un retour la prochaine fois."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="feedback-across-generations",
        language="es",
        level="deepen",
        topics=("feedback", "mentoring"),
        title="Dar feedback entre generaciones",
        summary=(
            "Una estructura sencilla para que un comentario llegue bien sea cual sea la "
            "diferencia de edad, también cuando alguien joven se lo da a alguien veterano."
        ),
        body=_md(
            """
            ## Por qué se complica
            Las generaciones se parecen más de lo que dicen los tópicos, pero las costumbres sí
            cambian. Hay quien aprendió el feedback con la evaluación anual y comentarios
            escritos muy medidos, y quien lo aprendió con reacciones instantáneas en un chat. Un
            pulgar hacia arriba puede parecer displicente a unos, mientras que un correo de dos
            páginas suena a reprimenda a otros. La mentoría inversa añade un giro: ahora es la
            persona joven quien da feedback a la veterana, y eso puede incomodar a las dos.

            ## Una estructura que funciona en cualquier dirección
            1. **Pregunte primero.** «¿Quieres que te comente algo de la presentación?» deja el
               control a la otra persona.
            2. **Describa lo que vio,** como un hecho: «compartiste toda la pantalla durante
               veinte minutos», y no «esto no se te da bien».
            3. **Diga qué efecto tuvo:** «desde el fondo no se leían las cifras».
            4. **Proponga, o pregunte:** «¿probamos a ampliar la próxima vez?» o «¿qué crees
               que te ayudaría?»

            Sea igual de concreto al elogiar. «Tu pregunta inicial hizo hablar a todo el mundo»
            enseña mucho más que «muy bien», porque dice exactamente qué repetir.

            ## El canal y el momento
            - Lo importante o delicado merece una conversación, no un mensaje de chat.
            - Pregunte cómo prefiere la otra persona recibir comentarios: hay quien quiere una
              nota escrita para releerla y quien prefiere unas palabras en el momento.
            - Hágalo pronto, en privado, y limítese a dos o tres puntos.

            ## Recibirlo bien
            Escuche hasta el final, dé las gracias, haga una pregunta para asegurarse de que lo
            ha entendido y decida más tarde qué hará con ello. Vale en los dos sentidos, y ver a
            alguien veterano recibir un comentario con naturalidad suele dar a quien empieza el
            valor de pedirlo.

            ## Lo que sobra
            Deje la edad al margen. «A tu edad» o «vosotros, los nativos digitales» convierten
            una observación sobre un trabajo en un juicio sobre una persona, y ahí se acaba la
            conversación.
            """
        ),
        task=_md(
            """
            Recuerde un comentario que de verdad le ayudó. ¿Cuáles de los cuatro pasos incluía,
            y cómo se lo hicieron llegar?
            """
        ),
        case_study=_md(
            """
            En Corvin Arquitectos, un estudio ficticio, Lea, diseñadora de 24 años, y Patricio,
            socio de 57, forman una pareja mutua: ella le enseña una herramienta de
            visualización en 3D y él la ayuda con las presentaciones a clientes.

            Tras la primera presentación de Lea ante un cliente, Patricio le manda un correo
            larguísimo con nueve puntos. Lea lo interpreta como un suspenso y le evita durante
            dos días. Por su parte, el único comentario de Lea sobre la primera maqueta 3D de
            Patricio fue un pulgar hacia arriba en el chat, y él no sabe si era simple cortesía.

            En su sesión mensual hablan de ambas cosas. Acuerdan cuatro reglas: preguntar
            primero; decir el hecho, su efecto y una propuesta; tres puntos como máximo; lo
            importante se dice de viva voz y luego se resume en dos líneas.

            Después de la siguiente presentación, Patricio le dice: «Cuando el cliente preguntó
            por el presupuesto, me miraste a mí. Tú conoces esas cifras: responde tú». Lea le
            contesta: «Tu maqueta mostraba cuarenta capas a la vez; deja solo tres y el cliente
            verá la idea». Los dos lo aplican a la semana siguiente.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="¿Cuál de estas frases es una observación y no un juicio?",
                kind="single",
                choices=(
                    _no("No te manejas muy bien con la tecnología"),
                    _yes("Buscaste tres veces el botón del micrófono durante la reunión"),
                    _no("Eres demasiado lento con la nueva herramienta"),
                ),
                explanation=(
                    "Una observación describe lo que pasó y se puede comprobar. Un juicio habla "
                    "de la persona, y eso invita a defenderse en lugar de cambiar."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "¿Qué prácticas ayudan cuando da feedback a un compañero con más trayectoria?"
                ),
                kind="multiple",
                choices=(
                    _yes("Preguntarle primero si quiere que le comente algo"),
                    _yes("Describir un hecho y su efecto"),
                    _no("Suavizarlo diciendo que a su edad es normal"),
                    _no("Hacerlo en la reunión de equipo para que todos aprendan"),
                ),
                explanation=(
                    "Preguntar y describir mantienen el comentario en el trabajo. Mencionar la "
                    "edad lo lleva a la persona, y tener público convierte el feedback en "
                    "vergüenza."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "¿Por qué «Tu pregunta inicial hizo hablar a todo el mundo» es más útil que "
                    "«Muy bien»?"
                ),
                kind="single",
                choices=(
                    _yes("Dice exactamente qué funcionó, para poder repetirlo"),
                    _no("Es más larga, así que parece más sincera"),
                    _no("Evita hacer ningún elogio"),
                ),
                explanation=(
                    "Un elogio concreto también es feedback: señala una conducta que merece la "
                    "pena repetir. Un elogio vago agrada, pero no enseña nada."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Recibe un comentario con el que no está de acuerdo. ¿Cuál es la mejor "
                    "primera reacción?"
                ),
                kind="single",
                choices=(
                    _no("Explicar en el acto por qué la otra persona se equivoca"),
                    _yes("Escuchar, dar las gracias, hacer una pregunta y decidir después"),
                    _no("No decir nada e ignorarlo"),
                ),
                explanation=(
                    "Primero se entiende y luego se decide. Podrá discrepar más tarde, y la "
                    "otra persona seguirá dispuesta a darle su opinión la próxima vez."
                ),
            ),
        ),
        pass_mark=60,
    ),
    # --- Exploit: AI assistants ---------------------------------------------------------------
    SeedLesson(
        group="ai-assistants-at-work",
        language="en",
        level="exploit",
        topics=("ai_assistants", "productivity"),
        title="AI assistants at work: from occasional questions to reliable help",
        summary=(
            "For people who already try an AI assistant now and then: how to get useful drafts "
            "rather than generic ones, and how to check and protect what matters."
        ),
        body=_md(
            """
            ## From asking to working together
            You have probably asked an AI assistant a question or two and found the answer
            vague. Getting full value from it is less about magic phrases than about treating
            it like a capable newcomer who knows nothing about your team.

            ## Give it what a new colleague would need
            - **Context:** who the text is for, what it is for, and what you already have.
            - **Format:** "a summary of about 150 words in three bullet points for the board".
            - **An example:** a paragraph in the style you want, provided it is not
              confidential.
            - **Constraints:** tone, length, words or promises to avoid.

            ## Improve the draft instead of starting again
            1. Ask for a first draft.
            2. Say precisely what to change: "shorten the second paragraph, less jargon".
            3. Ask it to list its assumptions or its questions before it writes.
            4. Ask for options: three subject lines rather than one.

            ## Check everything that matters
            Assistants write fluent text that can be wrong: invented figures, references that
            do not exist, rules that are out of date or belong to another country. Check facts,
            numbers, names and quotations against a real source. You remain the author and you
            answer for what you send.

            ## Protect what is not yours to share
            Use the tools your organisation has approved, for the kinds of data it has approved
            them for. Do not paste personal details about colleagues or customers, confidential
            figures or passwords into a tool that is not cleared for them. When in doubt,
            remove names and identifying details, or describe the situation in general terms.

            ## Where it shines
            Rewriting a text for a different audience, drafting a first version, suggesting the
            questions people may ask before a meeting, explaining a formula or an error
            message. Each saves minutes; together they change a working week, as long as a
            person stays in charge of the result.
            """
        ),
        task=_md(
            """
            Take a request you recently made to an AI assistant. Rewrite it with context,
            format, an example and constraints. What would you expect to change in the answer?
            """
        ),
        case_study=_md(
            """
            At Tamsin Textiles, a fictitious clothing maker, Margaret, a 58-year-old HR manager,
            uses the company's approved AI assistant occasionally, but finds its job adverts
            "bland enough for any company on earth".

            Her reverse mentor, Noor, a 24-year-old HR assistant, asks to see a request. It
            reads: "write a job ad for a warehouse supervisor". Together they rewrite it: the
            site and its shifts, what people who work there value, the team's best previous
            advert pasted as an example, two hundred words, plain English, no promises about
            pay.

            The second draft needs only two edits. Margaret then asks the assistant which
            questions a candidate might have, and spots two gaps in the advert. Noor notices
            that the draft mentions a "legal right" to a particular allowance; they check the
            official guidance, find it does not apply, and remove the sentence.

            In return, Margaret shows Noor how she runs a structured interview, so that every
            candidate is asked the same questions and judged on the same grid.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Which of these make a request to an AI assistant more useful?",
                kind="multiple",
                choices=(
                    _yes("Saying who the text is for and what it is for"),
                    _yes("Stating the expected format and length"),
                    _yes("Adding a non-confidential example of the style you want"),
                    _no("Keeping it to one word so the assistant is free to interpret"),
                ),
                explanation=(
                    "Context, format and an example do for the assistant what a good brief does "
                    "for a colleague. A one-word request gets a generic answer."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "A draft from the assistant quotes a regulation and a statistic. What do "
                    "you do before using it?"
                ),
                kind="single",
                choices=(
                    _no("Use it as it is: the assistant was trained on a great deal of text"),
                    _yes("Check both against the original sources"),
                    _no("Ask the assistant whether it is sure, and use it if it says yes"),
                ),
                explanation=(
                    "Assistants can state invented or outdated facts with full confidence, and "
                    "asking them to confirm does not make the facts true. Only a source can."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "You want a summary of a customer's complaint, which includes their name and "
                    "address. The assistant is not approved for personal data. What do you do?"
                ),
                kind="single",
                choices=(
                    _no("Paste it all in: the summary will be more accurate"),
                    _yes("Remove the identifying details first, or use an approved tool"),
                    _no("Paste it all in, then delete the conversation afterwards"),
                ),
                explanation=(
                    "Deleting a conversation afterwards does not undo having shared the data. "
                    "The summary rarely needs the name and address anyway."
                ),
            ),
            SeedQuestion(
                prompt="The first draft is far too formal. What is the best next step?",
                kind="single",
                choices=(
                    _yes("Say precisely what to change and ask for a revised version"),
                    _no("Open a new conversation and send the same request again"),
                    _no("Give up and write the whole text by hand"),
                ),
                explanation=(
                    "Precise feedback builds on what already works. Repeating the same request "
                    "tends to produce the same kind of answer."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="ai-assistants-at-work",
        language="fr",
        level="exploit",
        topics=("ai_assistants", "productivity"),
        title="Les assistants d'IA au travail : de la question ponctuelle à l'aide fiable",
        summary=(
            "Pour celles et ceux qui essaient déjà un assistant d'IA de temps en temps : obtenir "
            "des brouillons utiles plutôt que génériques, et vérifier et protéger l'essentiel."
        ),
        body=_md(
            """
            ## De la question au travail à deux
            Vous avez sans doute déjà posé une question ou deux à un assistant d'IA, et trouvé
            la réponse un peu vague. En tirer tout le parti tient moins à des formules magiques
            qu'à une idée simple : le traiter comme un nouveau venu compétent qui ne sait rien
            de votre équipe.

            ## Donnez-lui ce qu'il faudrait à un nouveau collègue
            - **Le contexte :** à qui s'adresse le texte, à quoi il sert, ce que vous avez déjà.
            - **Le format :** « une synthèse d'environ 150 mots en trois puces pour le comité ».
            - **Un exemple :** un paragraphe dans le style voulu, à condition qu'il ne soit pas
              confidentiel.
            - **Les contraintes :** ton, longueur, mots ou promesses à éviter.

            ## Améliorez le brouillon au lieu de tout recommencer
            1. Demandez une première version.
            2. Dites précisément quoi changer : « raccourcis le deuxième paragraphe, moins de
               jargon ».
            3. Demandez-lui d'énoncer ses hypothèses ou ses questions avant d'écrire.
            4. Demandez des variantes : trois objets de courriel plutôt qu'un.

            ## Vérifiez tout ce qui compte
            Un assistant écrit des textes fluides qui peuvent être faux : chiffres inventés,
            références inexistantes, règles périmées ou valables dans un autre pays. Vérifiez
            faits, chiffres, noms et citations auprès d'une vraie source. Vous restez l'auteur,
            et vous répondez de ce que vous envoyez.

            ## Protégez ce qui ne vous appartient pas
            Utilisez les outils validés par votre organisation, pour les types de données
            prévus. Ne collez ni données personnelles sur des collègues ou des clients, ni
            chiffres confidentiels, ni mots de passe dans un outil qui n'est pas autorisé à les
            recevoir. Dans le doute, retirez noms et détails identifiants, ou décrivez la
            situation en termes généraux.

            ## Là où il excelle
            Réécrire un texte pour un autre public, proposer une première version, suggérer les
            questions que l'on vous posera en réunion, expliquer une formule ou un message
            d'erreur. Chaque usage fait gagner quelques minutes ; ensemble, ils changent une
            semaine de travail, à condition qu'une personne garde la main sur le résultat.
            """
        ),
        task=_md(
            """
            Reprenez une demande récente faite à un assistant d'IA. Réécrivez-la avec contexte,
            format, exemple et contraintes. Qu'attendez-vous de différent dans la réponse ?
            """
        ),
        case_study=_md(
            """
            Chez Textiles Tamsin, un fabricant de vêtements imaginaire, Marguerite, DRH de 58
            ans, utilise de temps en temps l'assistant d'IA validé par l'entreprise, mais trouve
            ses offres d'emploi « assez fades pour n'importe quelle entreprise au monde ».

            Sa mentore inversée, Nour, assistante RH de 24 ans, demande à voir une requête. Elle
            tient en une ligne : « rédige une offre pour un chef d'équipe d'entrepôt ».
            Ensemble, elles la réécrivent : le site et ses horaires en équipes, ce que les
            salariés y apprécient, la meilleure offre précédente collée en exemple, deux cents
            mots, langage simple, aucune promesse sur le salaire.

            La deuxième version ne demande que deux retouches. Marguerite demande ensuite à
            l'assistant quelles questions un candidat pourrait se poser, et repère deux manques
            dans l'offre. Nour remarque que le texte évoque un « droit légal » à une prime
            particulière ; elles vérifient sur le site officiel, constatent qu'il ne s'applique
            pas et suppriment la phrase.

            En retour, Marguerite montre à Nour comment elle mène un entretien structuré, pour
            que chaque candidat reçoive les mêmes questions et soit évalué sur la même grille.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Qu'est-ce qui rend une demande à un assistant d'IA plus utile ?",
                kind="multiple",
                choices=(
                    _yes("Préciser à qui s'adresse le texte et à quoi il sert"),
                    _yes("Indiquer le format et la longueur attendus"),
                    _yes("Ajouter un exemple non confidentiel du style souhaité"),
                    _no("S'en tenir à un mot pour laisser l'assistant libre d'interpréter"),
                ),
                explanation=(
                    "Contexte, format et exemple jouent pour l'assistant le rôle d'un bon brief "
                    "pour un collègue. Une demande d'un mot obtient une réponse générique."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un brouillon de l'assistant cite un règlement et une statistique. Que "
                    "faites-vous avant de l'utiliser ?"
                ),
                kind="single",
                choices=(
                    _no("L'utiliser tel quel : l'assistant a lu énormément de textes"),
                    _yes("Vérifier les deux dans les sources d'origine"),
                    _no("Demander à l'assistant s'il est sûr, et l'utiliser s'il dit oui"),
                ),
                explanation=(
                    "Un assistant peut affirmer avec aplomb des faits inventés ou périmés, et "
                    "lui demander confirmation ne les rend pas vrais. Seule une source le peut."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Vous voulez résumer la réclamation d'un client, qui contient son nom et son "
                    "adresse. L'assistant n'est pas autorisé pour les données personnelles. Que "
                    "faites-vous ?"
                ),
                kind="single",
                choices=(
                    _no("Tout coller : le résumé sera plus fidèle"),
                    _yes("Retirer d'abord les détails identifiants, ou utiliser un outil autorisé"),
                    _no("Tout coller, puis supprimer la conversation ensuite"),
                ),
                explanation=(
                    "Supprimer la conversation après coup n'efface pas le fait d'avoir partagé "
                    "les données. Et le résumé n'a presque jamais besoin du nom ni de l'adresse."
                ),
            ),
            SeedQuestion(
                prompt="La première version est bien trop formelle. Quelle est la suite idéale ?",
                kind="single",
                choices=(
                    _yes("Dire précisément quoi changer et demander une version révisée"),
                    _no("Ouvrir une nouvelle conversation et renvoyer la même demande"),
                    _no("Abandonner et tout rédiger à la main"),
                ),
                explanation=(
                    "Un retour précis s'appuie sur ce qui fonctionne déjà. Répéter la même "
                    "demande donne le plus souvent le même genre de réponse."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="ai-assistants-at-work",
        language="es",
        level="exploit",
        topics=("ai_assistants", "productivity"),
        title="Asistentes de IA en el trabajo: de la consulta suelta a una ayuda fiable",
        summary=(
            "Para quien ya prueba de vez en cuando un asistente de IA: cómo conseguir borradores "
            "útiles y no genéricos, y cómo comprobar y proteger lo que importa."
        ),
        body=_md(
            """
            ## De preguntar a trabajar juntos
            Seguramente ya le ha hecho alguna pregunta a un asistente de IA y la respuesta le ha
            parecido vaga. Sacarle todo el partido no depende de frases mágicas, sino de
            tratarlo como a un recién llegado capaz que no sabe nada de su equipo.

            ## Dele lo que necesitaría un compañero nuevo
            - **Contexto:** a quién va dirigido el texto, para qué sirve y qué tiene ya.
            - **Formato:** «un resumen de unas 150 palabras en tres viñetas para el comité».
            - **Un ejemplo:** un párrafo con el estilo que busca, siempre que no sea
              confidencial.
            - **Restricciones:** tono, extensión, palabras o promesas que evitar.

            ## Mejore el borrador en vez de empezar de cero
            1. Pida un primer borrador.
            2. Diga exactamente qué cambiar: «acorta el segundo párrafo, menos jerga».
            3. Pídale que enumere sus supuestos o sus dudas antes de escribir.
            4. Pida alternativas: tres asuntos de correo en lugar de uno.

            ## Compruebe todo lo que importa
            Un asistente escribe textos fluidos que pueden estar equivocados: cifras inventadas,
            referencias que no existen, normas anticuadas o de otro país. Compruebe datos,
            cifras, nombres y citas en una fuente real. Usted sigue siendo el autor y responde
            de lo que envía.

            ## Proteja lo que no es suyo
            Use las herramientas que su organización ha aprobado, para los tipos de datos para
            los que las ha aprobado. No pegue datos personales de compañeros o clientes, cifras
            confidenciales ni contraseñas en una herramienta que no esté autorizada para ello.
            Si duda, quite nombres y detalles identificativos, o describa la situación en
            términos generales.

            ## Donde más luce
            Reescribir un texto para otro público, preparar una primera versión, sugerir las
            preguntas que le harán en una reunión, explicar una fórmula o un mensaje de error.
            Cada uso ahorra unos minutos; juntos cambian una semana de trabajo, siempre que una
            persona tenga la última palabra sobre el resultado.
            """
        ),
        task=_md(
            """
            Recupere una petición reciente a un asistente de IA. Reescríbala con contexto,
            formato, un ejemplo y restricciones. ¿Qué espera que cambie en la respuesta?
            """
        ),
        case_study=_md(
            """
            En Textiles Tamsin, un fabricante de ropa ficticio, Margarita, directora de
            personas de 58 años, usa de vez en cuando el asistente de IA aprobado por la
            empresa, pero sus ofertas de empleo le parecen «tan sosas que valdrían para
            cualquier empresa del mundo».

            Su mentora inversa, Nur, técnica de recursos humanos de 24 años, le pide ver una
            petición. Dice: «escribe una oferta para encargado de almacén». Juntas la
            reescriben: el centro y sus turnos, lo que valora la gente que trabaja allí, la
            mejor oferta anterior pegada como ejemplo, doscientas palabras, lenguaje llano y
            ninguna promesa sobre el sueldo.

            El segundo borrador solo necesita dos retoques. Después, Margarita pregunta al
            asistente qué dudas podría tener un candidato y descubre dos lagunas en la oferta.
            Nur se da cuenta de que el texto menciona un «derecho legal» a un plus concreto; lo
            comprueban en la fuente oficial, ven que no se aplica y quitan la frase.

            A cambio, Margarita enseña a Nur cómo dirige una entrevista estructurada, para que
            todos los candidatos reciban las mismas preguntas y se valoren con la misma
            plantilla.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="¿Qué hace más útil una petición a un asistente de IA?",
                kind="multiple",
                choices=(
                    _yes("Decir a quién va dirigido el texto y para qué sirve"),
                    _yes("Indicar el formato y la extensión que espera"),
                    _yes("Añadir un ejemplo no confidencial del estilo que busca"),
                    _no("Limitarla a una palabra para que el asistente interprete libremente"),
                ),
                explanation=(
                    "Contexto, formato y ejemplo son para el asistente lo que un buen encargo "
                    "para un compañero. Una petición de una palabra recibe una respuesta "
                    "genérica."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Un borrador del asistente cita una normativa y una estadística. ¿Qué hace "
                    "antes de usarlo?"
                ),
                kind="single",
                choices=(
                    _no("Usarlo tal cual: el asistente ha leído muchísimos textos"),
                    _yes("Comprobar ambas cosas en las fuentes originales"),
                    _no("Preguntar al asistente si está seguro y usarlo si dice que sí"),
                ),
                explanation=(
                    "Un asistente puede afirmar con total seguridad datos inventados o "
                    "anticuados, y pedirle que los confirme no los vuelve ciertos. Solo una "
                    "fuente puede hacerlo."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Quiere resumir la reclamación de un cliente, que incluye su nombre y su "
                    "dirección. El asistente no está autorizado para datos personales. ¿Qué "
                    "hace?"
                ),
                kind="single",
                choices=(
                    _no("Pegarlo todo: el resumen será más exacto"),
                    _yes("Quitar antes los datos identificativos o usar una herramienta aprobada"),
                    _no("Pegarlo todo y borrar la conversación después"),
                ),
                explanation=(
                    "Borrar la conversación después no deshace haber compartido los datos. Y el "
                    "resumen casi nunca necesita el nombre ni la dirección."
                ),
            ),
            SeedQuestion(
                prompt="El primer borrador es demasiado formal. ¿Cuál es el mejor paso siguiente?",
                kind="single",
                choices=(
                    _yes("Decir exactamente qué cambiar y pedir una versión revisada"),
                    _no("Abrir una conversación nueva y repetir la misma petición"),
                    _no("Rendirse y escribirlo todo a mano"),
                ),
                explanation=(
                    "Un comentario preciso aprovecha lo que ya funciona. Repetir la misma "
                    "petición suele dar el mismo tipo de respuesta."
                ),
            ),
        ),
        pass_mark=60,
    ),
    # --- Deepen: preparing a difficult client call --------------------------------------------
    SeedLesson(
        group="difficult-client-call",
        language="en",
        level="deepen",
        topics=("negotiation", "stakeholder_mgmt"),
        title="Preparing a difficult client call",
        summary=(
            "Experienced colleagues make hard conversations look easy because of the ten "
            "minutes nobody sees: the preparation. Here is that preparation, step by step."
        ),
        body=_md(
            """
            ## The part you do not see
            When a seasoned colleague handles an angry client calmly, it looks like talent.
            Most of it is preparation, and preparation can be taught. This is one of the
            skills senior people most often bring to a mutual mentoring pair.

            ## Four questions to answer before you dial
            1. **What outcome do I want,** and what is the least I could accept?
            2. **What does the other side want,** and what might they be worried about?
            3. **Which facts do I need at hand:** dates, figures, what was promised and by whom?
            4. **What can I offer,** and what is not mine to offer?

            Write the answers on one page. You will not read it out, but you will glance at it
            when the conversation drifts.

            ## Opening the call
            - State the purpose in one sentence.
            - Acknowledge the problem before you explain it: "You expected the delivery on
              the third and it did not arrive. That causes you real trouble."
            - Then let them speak, all the way to the end, and note their own words.

            ## During the call
            - Ask open questions, sum up what you heard, and check that you got it right.
            - Let silences be. People often add the most useful detail after a pause.
            - Never promise what you cannot deliver. "I will check and call you back by four"
              is stronger than a promise you may have to break.
            - If emotions run high, slow down, and talk about the issue, not the person.

            ## After the call
            Send a short written recap the same day: what was agreed, who does what, and by
            when. It prevents two memories of the same call from drifting apart. Then take two
            minutes to note what worked and what you would do differently; that note is how
            the next difficult call becomes a little less difficult.
            """
        ),
        task=_md(
            """
            Think of a conversation you have been putting off. Answer the four questions for it
            in writing. Which answer surprised you?
            """
        ),
        case_study=_md(
            """
            At Kelso Packaging, a fictitious manufacturer, Amara, a 26-year-old account manager,
            has to tell a major client that a production fault will delay their order by a
            week. Her plan is to send an e-mail and hope.

            Walter, 61, the sales director, is her partner in a mutual mentoring pair: she is
            teaching him the team's new collaboration tools. He offers fifteen minutes. They
            write the four answers on one sheet: keep the client and the price; the client fears
            empty shelves before a promotion; the facts are the fault, the new date and the
            stock already made; Amara can offer a partial delivery but not a discount, which is
            not hers to give.

            On the call Amara acknowledges the problem first and lets the buyer speak for four
            minutes without interrupting. She sums up, offers a partial delivery on Friday with
            the rest the following week, and promises an answer on transport costs by four
            o'clock. She calls back at half past three.

            The recap e-mail goes out that evening. The client keeps the order, and Amara turns
            Walter's sheet into a template for her team.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Which of these should you settle before a difficult call?",
                kind="multiple",
                choices=(
                    _yes("The outcome you want and the least you could accept"),
                    _yes("What the other side wants and what worries them"),
                    _yes("The key facts: dates, figures, what was promised"),
                    _no("A plan to keep talking so that they cannot raise objections"),
                ),
                explanation=(
                    "Knowing your aims, theirs and the facts lets you listen and adapt. Talking "
                    "over objections only postpones them and costs trust."
                ),
            ),
            SeedQuestion(
                prompt="A client is angry about a late delivery. Which opening works best?",
                kind="single",
                choices=(
                    _yes("Acknowledge the problem and its effect on them, then listen"),
                    _no("Explain in detail why the delay was not your fault"),
                    _no("Offer a discount straight away to calm things down"),
                ),
                explanation=(
                    "People listen to explanations once they feel heard. An immediate discount "
                    "gives away something before you know what they actually need."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "The client asks for something you are not sure you can deliver. What do "
                    "you say?"
                ),
                kind="single",
                choices=(
                    _no("Yes, to keep the call friendly, and sort it out afterwards"),
                    _yes("That you will check and call back by a specific time"),
                    _no("No, since you cannot be sure"),
                ),
                explanation=(
                    "A precise call-back keeps the door open without a promise you might break. "
                    "Keeping the time you gave builds more trust than an easy yes."
                ),
            ),
            SeedQuestion(
                prompt="What should happen after the call?",
                kind="single",
                choices=(
                    _yes("A short written recap of what was agreed, sent the same day"),
                    _no("Nothing, if the call went well"),
                    _no("A summary sent to your manager only"),
                ),
                explanation=(
                    "A recap to the client fixes who does what by when, so that two memories "
                    "of the call cannot drift apart."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="difficult-client-call",
        language="fr",
        level="deepen",
        topics=("negotiation", "stakeholder_mgmt"),
        title="Préparer un appel client difficile",
        summary=(
            "Si les plus expérimentés rendent les conversations difficiles faciles en apparence, "
            "c'est grâce aux dix minutes que personne ne voit : la préparation. La voici, étape "
            "par étape."
        ),
        body=_md(
            """
            ## Ce qu'on ne voit pas
            Quand un collègue chevronné apaise un client furieux, on croit à un don. C'est
            surtout de la préparation, et la préparation s'apprend. C'est l'une des compétences
            que les seniors apportent le plus souvent dans un binôme de mentorat mutuel.

            ## Quatre questions avant de composer le numéro
            1. **Quel résultat je veux obtenir,** et quel est le minimum acceptable ?
            2. **Que veut l'autre partie,** et qu'est-ce qui l'inquiète ?
            3. **De quels faits ai-je besoin sous la main :** dates, chiffres, ce qui a été
               promis et par qui ?
            4. **Que puis-je proposer,** et qu'est-ce qui n'est pas de mon ressort ?

            Notez les réponses sur une seule page. Vous ne la lirez pas à voix haute, mais vous
            y jetterez un œil si la conversation s'égare.

            ## Ouvrir l'appel
            - Annoncez l'objet de l'appel en une phrase.
            - Reconnaissez le problème avant de l'expliquer : « Vous attendiez la livraison le
              3 et elle n'est pas arrivée. Cela vous met réellement en difficulté. »
            - Puis laissez parler votre interlocuteur jusqu'au bout, en notant ses propres mots.

            ## Pendant l'appel
            - Posez des questions ouvertes, reformulez ce que vous avez entendu, vérifiez.
            - Acceptez les silences : c'est souvent après une pause que vient le détail utile.
            - Ne promettez jamais ce que vous ne pouvez pas tenir. « Je vérifie et je vous
              rappelle avant 16 h » vaut mieux qu'une promesse qu'il faudra peut-être renier.
            - Si le ton monte, ralentissez, et parlez du problème, pas de la personne.

            ## Après l'appel
            Envoyez le jour même un court récapitulatif écrit : ce qui a été convenu, qui fait
            quoi, pour quand. Cela évite que deux souvenirs du même appel divergent. Prenez
            ensuite deux minutes pour noter ce qui a marché et ce que vous feriez autrement :
            c'est ainsi que le prochain appel difficile le devient un peu moins.
            """
        ),
        task=_md(
            """
            Pensez à une conversation que vous repoussez. Répondez par écrit aux quatre
            questions. Quelle réponse vous a surpris ?
            """
        ),
        case_study=_md(
            """
            Chez Emballages Kelso, un fabricant imaginaire, Amara, chargée de clientèle de 26
            ans, doit annoncer à un grand client qu'un défaut de production retardera sa
            commande d'une semaine. Son plan : envoyer un courriel et croiser les doigts.

            Walter, 61 ans, directeur commercial, forme avec elle un binôme de mentorat mutuel :
            elle lui apprend les nouveaux outils collaboratifs de l'équipe. Il lui propose un
            quart d'heure. Ils écrivent les quatre réponses sur une feuille : garder le client
            et le prix ; le client craint des rayons vides avant une promotion ; les faits sont
            le défaut, la nouvelle date et le stock déjà produit ; Amara peut proposer une
            livraison partielle, mais pas une remise, qui n'est pas de son ressort.

            Au téléphone, Amara reconnaît d'abord le problème et laisse l'acheteur parler quatre
            minutes sans l'interrompre. Elle reformule, propose une livraison partielle vendredi
            et le solde la semaine suivante, et promet une réponse sur les frais de transport
            avant 16 h. Elle rappelle à 15 h 30.

            Le récapitulatif part le soir même. Le client maintient sa commande, et Amara fait
            de la feuille de Walter un modèle pour son équipe.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="Que faut-il clarifier avant un appel difficile ?",
                kind="multiple",
                choices=(
                    _yes("Le résultat voulu et le minimum acceptable"),
                    _yes("Ce que veut l'autre partie et ce qui l'inquiète"),
                    _yes("Les faits clés : dates, chiffres, ce qui a été promis"),
                    _no("Un plan pour parler sans arrêt afin d'éviter les objections"),
                ),
                explanation=(
                    "Connaître vos objectifs, les siens et les faits vous permet d'écouter et "
                    "de vous adapter. Couvrir les objections ne fait que les repousser, et coûte "
                    "de la confiance."
                ),
            ),
            SeedQuestion(
                prompt="Un client est furieux d'un retard de livraison. Comment ouvrir l'appel ?",
                kind="single",
                choices=(
                    _yes("Reconnaître le problème et ses conséquences pour lui, puis écouter"),
                    _no("Expliquer en détail pourquoi le retard n'est pas de votre faute"),
                    _no("Proposer tout de suite une remise pour calmer le jeu"),
                ),
                explanation=(
                    "On écoute les explications une fois qu'on s'est senti entendu. Une remise "
                    "immédiate cède quelque chose avant même de savoir ce dont il a besoin."
                ),
            ),
            SeedQuestion(
                prompt=(
                    "Le client demande quelque chose que vous n'êtes pas sûr de pouvoir "
                    "fournir. Que répondez-vous ?"
                ),
                kind="single",
                choices=(
                    _no("Oui, pour garder un bon climat, et vous verrez après"),
                    _yes("Que vous vérifiez et le rappelez à une heure précise"),
                    _no("Non, puisque vous n'en êtes pas sûr"),
                ),
                explanation=(
                    "Un rappel à heure fixe laisse la porte ouverte sans promesse hasardeuse. "
                    "Tenir l'heure annoncée inspire plus confiance qu'un oui trop facile."
                ),
            ),
            SeedQuestion(
                prompt="Que faire après l'appel ?",
                kind="single",
                choices=(
                    _yes("Envoyer le jour même un court récapitulatif écrit de ce qui est convenu"),
                    _no("Rien, si l'appel s'est bien passé"),
                    _no("Envoyer un compte rendu à votre manager uniquement"),
                ),
                explanation=(
                    "Un récapitulatif au client fixe qui fait quoi et pour quand, pour que deux "
                    "souvenirs du même appel ne divergent pas."
                ),
            ),
        ),
        pass_mark=60,
    ),
    SeedLesson(
        group="difficult-client-call",
        language="es",
        level="deepen",
        topics=("negotiation", "stakeholder_mgmt"),
        title="Preparar una llamada difícil con un cliente",
        summary=(
            "Los compañeros con experiencia hacen que las conversaciones difíciles parezcan "
            "fáciles gracias a diez minutos que nadie ve: la preparación. Aquí está, paso a paso."
        ),
        body=_md(
            """
            ## Lo que no se ve
            Cuando un compañero veterano calma a un cliente enfadado, parece talento. En gran
            parte es preparación, y la preparación se aprende. Es una de las competencias que
            las personas con más trayectoria suelen aportar a una pareja de mentoría mutua.

            ## Cuatro preguntas antes de marcar
            1. **¿Qué resultado quiero,** y qué es lo mínimo que podría aceptar?
            2. **¿Qué quiere la otra parte,** y qué puede preocuparle?
            3. **¿Qué datos necesito a mano?** Fechas, cifras, qué se prometió y quién lo hizo.
            4. **¿Qué puedo ofrecer,** y qué no me corresponde ofrecer?

            Escriba las respuestas en una sola hoja. No la leerá en voz alta, pero le echará un
            vistazo si la conversación se desvía.

            ## Abrir la llamada
            - Diga en una frase para qué llama.
            - Reconozca el problema antes de explicarlo: «Esperaban la entrega el día 3 y no
              llegó. Eso les causa un problema real».
            - Después deje hablar a la otra persona hasta el final y anote sus propias palabras.

            ## Durante la llamada
            - Haga preguntas abiertas, resuma lo que ha oído y compruebe que lo ha entendido.
            - Deje que haya silencios: muchas veces el dato útil llega después de una pausa.
            - No prometa lo que no pueda cumplir. «Lo compruebo y le llamo antes de las cuatro»
              es más sólido que una promesa que quizá tenga que romper.
            - Si suben los ánimos, vaya más despacio y hable del problema, no de la persona.

            ## Después de la llamada
            Envíe ese mismo día un breve resumen por escrito: qué se acordó, quién hace qué y
            para cuándo. Así no se distancian dos recuerdos de la misma llamada. Luego dedique
            dos minutos a anotar qué funcionó y qué haría de otra manera: así la próxima llamada
            difícil lo será un poco menos.
            """
        ),
        task=_md(
            """
            Piense en una conversación que lleva tiempo aplazando. Responda por escrito a las
            cuatro preguntas. ¿Qué respuesta le ha sorprendido?
            """
        ),
        case_study=_md(
            """
            En Envases Kelso, un fabricante ficticio, Amara, gestora de cuentas de 26 años,
            tiene que comunicar a un cliente importante que un fallo de producción retrasará su
            pedido una semana. Su plan es enviar un correo y cruzar los dedos.

            Walter, director comercial de 61 años, forma con ella una pareja de mentoría mutua:
            ella le está enseñando las nuevas herramientas colaborativas del equipo. Él le
            ofrece un cuarto de hora. Escriben las cuatro respuestas en una hoja: conservar el
            cliente y el precio; al cliente le preocupa quedarse sin producto antes de una
            promoción; los datos son el fallo, la nueva fecha y el stock ya fabricado; Amara
            puede ofrecer una entrega parcial, pero no un descuento, que no le corresponde.

            En la llamada, Amara reconoce primero el problema y deja hablar al comprador
            durante cuatro minutos sin interrumpirle. Resume, ofrece una entrega parcial el
            viernes y el resto la semana siguiente, y promete una respuesta sobre los portes
            antes de las cuatro. Llama a las tres y media.

            El resumen sale esa misma tarde. El cliente mantiene el pedido, y Amara convierte la
            hoja de Walter en una plantilla para su equipo.
            """
        ),
        questions=(
            SeedQuestion(
                prompt="¿Qué conviene tener claro antes de una llamada difícil?",
                kind="multiple",
                choices=(
                    _yes("El resultado que quiere y lo mínimo que aceptaría"),
                    _yes("Lo que quiere la otra parte y lo que le preocupa"),
                    _yes("Los datos clave: fechas, cifras, qué se prometió"),
                    _no("Un plan para hablar sin parar y que no pueda plantear objeciones"),
                ),
                explanation=(
                    "Conocer sus objetivos, los del otro y los hechos le permite escuchar y "
                    "adaptarse. Tapar las objeciones solo las aplaza y resta confianza."
                ),
            ),
            SeedQuestion(
                prompt="Un cliente está enfadado por una entrega con retraso. ¿Cómo empieza?",
                kind="single",
                choices=(
                    _yes("Reconociendo el problema y lo que le supone, y escuchando después"),
                    _no("Explicando con detalle por qué el retraso no es culpa suya"),
                    _no("Ofreciendo enseguida un descuento para calmar los ánimos"),
                ),
                explanation=(
                    "La gente escucha las explicaciones cuando se siente escuchada. Un "
                    "descuento inmediato cede algo antes de saber qué necesita de verdad."
                ),
            ),
            SeedQuestion(
                prompt="El cliente pide algo que no está seguro de poder cumplir. ¿Qué responde?",
                kind="single",
                choices=(
                    _no("Que sí, para mantener el buen ambiente, y ya lo resolverá"),
                    _yes("Que lo comprueba y le llama a una hora concreta"),
                    _no("Que no, porque no está seguro"),
                ),
                explanation=(
                    "Devolver la llamada a una hora concreta deja la puerta abierta sin "
                    "promesas arriesgadas. Cumplir esa hora genera más confianza que un sí fácil."
                ),
            ),
            SeedQuestion(
                prompt="¿Qué debe ocurrir después de la llamada?",
                kind="single",
                choices=(
                    _yes("Un breve resumen escrito de lo acordado, enviado ese mismo día"),
                    _no("Nada, si la llamada salió bien"),
                    _no("Un resumen enviado solo a su responsable"),
                ),
                explanation=(
                    "Un resumen al cliente fija quién hace qué y para cuándo, y evita que se "
                    "distancien dos recuerdos de la misma llamada."
                ),
            ),
        ),
        pass_mark=60,
    ),
)

LESSONS: tuple[SeedLesson, ...] = tuple(_typeset(lesson) for lesson in _WRITTEN)

COLLECTIONS: tuple[SeedCollection, ...] = (
    SeedCollection(
        key="mentor-training",
        title={
            "en": "Mentor training: the right posture",
            "fr": _french_spacing("Formation des mentors : la bonne posture"),
            "es": "Formación de mentores: la actitud adecuada",
        },
        description={
            "en": (
                "Three short lessons built on the golden rules of reverse mentoring: the "
                "mentor's posture, confidentiality, and the first session with the rhythm that "
                "follows. Each ends with a quiz a mentor must pass before being matched."
            ),
            "fr": _french_spacing(
                "Trois leçons courtes fondées sur les règles d'or du mentorat inversé : la "
                "posture du mentor, la confidentialité, puis la première séance et le rythme "
                "des rencontres. Chacune se termine par un quiz que le mentor doit réussir "
                "avant d'être mis en binôme."
            ),
            "es": (
                "Tres lecciones breves basadas en las reglas de oro de la mentoría inversa: la "
                "actitud del mentor, la confidencialidad, y la primera sesión con el ritmo que "
                "le sigue. Cada una termina con un cuestionario que el mentor debe aprobar "
                "antes de formar pareja."
            ),
        },
        lessons=("mentor-right-posture", "mentor-confidentiality", "mentor-first-session"),
    ),
    SeedCollection(
        key="discover-digital-basics",
        title={
            "en": "Discover: digital basics",
            "fr": _french_spacing("Découvrir : les bases du numérique"),
            "es": "Descubrir: lo básico del entorno digital",
        },
        description={
            "en": (
                "For anyone starting out: calm video calls, phishing spotted in time, and a "
                "first short video for colleagues."
            ),
            "fr": _french_spacing(
                "Pour bien démarrer : des visioconférences sereines, l'hameçonnage repéré à "
                "temps, et une première vidéo courte pour vos collègues."
            ),
            "es": (
                "Para empezar con buen pie: videollamadas sin sobresaltos, el phishing "
                "detectado a tiempo y un primer vídeo corto para sus compañeros."
            ),
        },
        lessons=("video-calls-etiquette", "spotting-phishing", "short-video-basics"),
    ),
    SeedCollection(
        key="skills-both-ways",
        title={
            "en": "Skills that travel both ways",
            "fr": "Des compétences qui circulent dans les deux sens",
            "es": "Competencias que viajan en los dos sentidos",
        },
        description={
            "en": (
                "What younger and older colleagues teach each other once they know the basics: "
                "feedback that lands, difficult calls, spreadsheets and AI assistants used to "
                "their full potential."
            ),
            "fr": _french_spacing(
                "Ce que jeunes et moins jeunes s'apprennent une fois les bases acquises : un "
                "feedback qui porte, les appels difficiles, le tableur et les assistants d'IA "
                "exploités à fond."
            ),
            "es": (
                "Lo que compañeros jóvenes y veteranos se enseñan una vez dominan lo básico: un "
                "feedback que llega, las llamadas difíciles, y las hojas de cálculo y los "
                "asistentes de IA aprovechados a fondo."
            ),
        },
        lessons=(
            "feedback-across-generations",
            "difficult-client-call",
            "spreadsheet-productivity",
            "ai-assistants-at-work",
        ),
    ),
)
