"""What the platform writes to people by e-mail, in their language: short and plain.

Only the vault composes messages: it alone knows addresses and each account's language. A
message to an address that has an account is written in that account's language; a message
about a new account in the language chosen at sign-up. Links carry the one-time code after `#`,
so it never reaches a server log or a `Referer` header: the page reads it and posts it.
"""

from __future__ import annotations

from typing import Literal

from app.kit.mail import Message

Kind = Literal[
    "sign_up_confirmation",
    "sign_up_attempt",
    "email_change_confirmation",
    "email_change_attempt",
    "email_changed",
]

# Where each link of a message leads, under the public URL.
SIGN_UP_CONFIRMATION_PATH = "/sign-up/confirm#code="
EMAIL_CHANGE_CONFIRMATION_PATH = "/me/email/confirm#code="
SIGN_IN_PATH = "/sign-in"

NAMES = {
    "en": "Peer-learning challenges",
    "fr": "Défis d'apprentissage entre pairs",
    "es": "Retos de aprendizaje entre pares",
}

# kind -> language -> (subject, text). Values: {service}, {link}, {hours}, {sign_in}.
TEXTS: dict[Kind, dict[str, tuple[str, str]]] = {
    "sign_up_confirmation": {
        "en": (
            "Confirm your new account",
            "Hello,\n\n"
            "Someone, hopefully you, asked to create an account on {service} with this "
            "address. To finish, open this link within {hours} hours and enter the password "
            "you chose:\n\n{link}\n\n"
            "If it was not you, ignore this message: without this link, no account is "
            "created.\n",
        ),
        "fr": (
            "Confirmez votre nouveau compte",
            "Bonjour,\n\n"
            "Quelqu'un, sans doute vous, a demandé à créer un compte sur {service} avec cette "
            "adresse. Pour terminer, ouvrez ce lien dans les {hours} heures et saisissez le mot "
            "de passe choisi :\n\n{link}\n\n"
            "Si ce n'était pas vous, ignorez ce message : sans ce lien, aucun compte n'est "
            "créé.\n",
        ),
        "es": (
            "Confirme su nueva cuenta",
            "Hola:\n\n"
            "Alguien, probablemente usted, pidió crear una cuenta en {service} con esta "
            "dirección. Para terminar, abra este enlace antes de {hours} horas e introduzca la "
            "contraseña que eligió:\n\n{link}\n\n"
            "Si no fue usted, ignore este mensaje: sin este enlace no se crea ninguna "
            "cuenta.\n",
        ),
    },
    "sign_up_attempt": {
        "en": (
            "Someone tried to create an account with your address",
            "Hello,\n\n"
            "Someone tried to create a new account on {service} with this address. It already "
            "has an account, so nothing was created or changed, and they were not told.\n\n"
            "If it was you: sign in with your password at {sign_in} (or accept the invitation "
            "you were sent). If you have forgotten your password, ask your administrator; "
            "there is no password reset yet.\n\n"
            "If it was not you, you do not need to do anything.\n",
        ),
        "fr": (
            "Quelqu'un a tenté de créer un compte avec votre adresse",
            "Bonjour,\n\n"
            "Quelqu'un a tenté de créer un nouveau compte sur {service} avec cette adresse. "
            "Elle a déjà un compte : rien n'a été créé ni modifié, et cette personne n'en a "
            "rien su.\n\n"
            "Si c'était vous : connectez-vous avec votre mot de passe sur {sign_in} (ou "
            "acceptez l'invitation reçue). Si vous avez oublié votre mot de passe, adressez-"
            "vous à votre administrateur ; la réinitialisation n'existe pas encore.\n\n"
            "Si ce n'était pas vous, vous n'avez rien à faire.\n",
        ),
        "es": (
            "Alguien intentó crear una cuenta con su dirección",
            "Hola:\n\n"
            "Alguien intentó crear una cuenta nueva en {service} con esta dirección. Ya tiene "
            "una cuenta, así que no se creó ni se cambió nada, y a esa persona no se le dijo."
            "\n\n"
            "Si fue usted: inicie sesión con su contraseña en {sign_in} (o acepte la "
            "invitación que recibió). Si olvidó su contraseña, pregunte a su administrador; "
            "todavía no se puede restablecer.\n\n"
            "Si no fue usted, no tiene que hacer nada.\n",
        ),
    },
    "email_change_confirmation": {
        "en": (
            "Confirm your new email address",
            "Hello,\n\n"
            "You asked to use this address for your account on {service}. To confirm it, open "
            "this link within {hours} hours, signed in to your account:\n\n{link}\n\n"
            "Until then your account keeps its current address. If it was not you, ignore "
            "this message.\n",
        ),
        "fr": (
            "Confirmez votre nouvelle adresse e-mail",
            "Bonjour,\n\n"
            "Vous avez demandé à utiliser cette adresse pour votre compte sur {service}. Pour "
            "la confirmer, ouvrez ce lien dans les {hours} heures, connecté à votre compte :"
            "\n\n{link}\n\n"
            "D'ici là, votre compte garde son adresse actuelle. Si ce n'était pas vous, "
            "ignorez ce message.\n",
        ),
        "es": (
            "Confirme su nueva dirección de correo",
            "Hola:\n\n"
            "Pidió usar esta dirección para su cuenta en {service}. Para confirmarla, abra "
            "este enlace antes de {hours} horas, con la sesión de su cuenta iniciada:"
            "\n\n{link}\n\n"
            "Hasta entonces, su cuenta conserva su dirección actual. Si no fue usted, ignore "
            "este mensaje.\n",
        ),
    },
    "email_change_attempt": {
        "en": (
            "Someone tried to use your address",
            "Hello,\n\n"
            "Someone with an account on {service} tried to change their email address to "
            "this one. It already belongs to your account, so nothing was changed, and they "
            "were not told.\n\n"
            "You do not need to do anything.\n",
        ),
        "fr": (
            "Quelqu'un a tenté d'utiliser votre adresse",
            "Bonjour,\n\n"
            "Une personne ayant un compte sur {service} a tenté de remplacer son adresse "
            "e-mail par celle-ci. Elle appartient déjà à votre compte : rien n'a été modifié, "
            "et cette personne n'en a rien su.\n\n"
            "Vous n'avez rien à faire.\n",
        ),
        "es": (
            "Alguien intentó usar su dirección",
            "Hola:\n\n"
            "Alguien con una cuenta en {service} intentó cambiar su dirección de correo por "
            "esta. Ya pertenece a su cuenta, así que no se cambió nada, y a esa persona no se "
            "le dijo.\n\n"
            "No tiene que hacer nada.\n",
        ),
    },
    "email_changed": {
        "en": (
            "Your email address was changed",
            "Hello,\n\n"
            "The email address of your account on {service} was just changed: this address "
            "no longer signs you in. If you did not do this, tell your administrator at "
            "once.\n",
        ),
        "fr": (
            "Votre adresse e-mail a été modifiée",
            "Bonjour,\n\n"
            "L'adresse e-mail de votre compte sur {service} vient d'être modifiée : cette "
            "adresse ne sert plus à vous connecter. Si ce n'était pas vous, prévenez tout de "
            "suite votre administrateur.\n",
        ),
        "es": (
            "Se cambió su dirección de correo",
            "Hola:\n\n"
            "Se acaba de cambiar la dirección de correo de su cuenta en {service}: esta "
            "dirección ya no sirve para iniciar sesión. Si no fue usted, avise enseguida a su "
            "administrador.\n",
        ),
    },
}


def compose(
    kind: Kind,
    language: str,
    *,
    to: str,
    public_url: str,
    link: str | None = None,
    hours: int = 0,
) -> Message:
    """The message of this kind in this language (English if the language is unknown)."""
    texts = TEXTS[kind]
    language = language if language in texts else "en"
    subject, body = texts[language]
    text = body.format(
        service=NAMES[language],
        link=link or "",
        hours=hours,
        sign_in=public_url + SIGN_IN_PATH,
    )
    return Message(to=to, subject=f"{subject} · {NAMES[language]}", text=text, kind=kind)
