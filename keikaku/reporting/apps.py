from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keikaku.reporting"
    label = "reporting"

    def ready(self) -> None:
        # The verification report's PDF is made by the evaluation app's background task; it
        # may not import this app (layers), so this app hands it the renderer.
        from keikaku.evaluation import api as evaluation_api
        from keikaku.reporting.evaluation_report import report_pdf
        from keikaku.reporting.pdf import PdfError

        evaluation_api.register_report_renderer("pdf", report_pdf, user_errors=(PdfError,))
