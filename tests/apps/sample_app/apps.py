from manouche.apps import AppConfig

READY_CALLS: list[str] = []


class SampleAppConfig(AppConfig):
    name = "tests.apps.sample_app"
    verbose_name = "A sample app"

    def ready(self) -> None:
        READY_CALLS.append(self.label)
