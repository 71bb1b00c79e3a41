from django.core.management.base import BaseCommand

from socmon.surveys.services import install_builtins


class Command(BaseCommand):
    help = "Install or refresh the questionnaires shipped with socmon (a new version only where a file changed)."

    def handle(self, *args, **options):
        for version in install_builtins():
            self.stdout.write(f"{version.questionnaire.code}: version {version.number}")
