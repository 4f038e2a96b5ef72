"""Contains all the data models used in inputs/outputs"""

from .accept_invitation_request import AcceptInvitationRequest
from .accepted import Accepted
from .accepted_invitation_view import AcceptedInvitationView
from .action import Action
from .add_member_request import AddMemberRequest
from .api_key_list import ApiKeyList
from .api_key_view import ApiKeyView
from .app_user_mapping import AppUserMapping
from .artifact_view import ArtifactView
from .audit_entry_view import AuditEntryView
from .audit_entry_view_details import AuditEntryViewDetails
from .audit_log_list import AuditLogList
from .availability import Availability
from .availability_reason import AvailabilityReason
from .billing_period_list import BillingPeriodList
from .billing_period_view import BillingPeriodView
from .branding_asset_form import BrandingAssetForm
from .branding_asset_kind import BrandingAssetKind
from .branding_asset_view import BrandingAssetView
from .branding_color_sources import BrandingColorSources
from .branding_colors_request import BrandingColorsRequest
from .branding_colors_view import BrandingColorsView
from .branding_configuration_list import BrandingConfigurationList
from .branding_configuration_view import BrandingConfigurationView
from .branding_level import BrandingLevel
from .branding_resolved_colors import BrandingResolvedColors
from .branding_source import BrandingSource
from .branding_sources import BrandingSources
from .branding_warning import BrandingWarning
from .change_password_request import ChangePasswordRequest
from .close_period_request import ClosePeriodRequest
from .create_api_key_request import CreateApiKeyRequest
from .create_branding_request import CreateBrandingRequest
from .create_credential_request import CreateCredentialRequest
from .create_job_request import CreateJobRequest
from .create_job_request_graph_type_0 import CreateJobRequestGraphType0
from .create_job_request_inputs import CreateJobRequestInputs
from .create_plan_request import CreatePlanRequest
from .create_preset_request import CreatePresetRequest
from .create_preset_request_params import CreatePresetRequestParams
from .create_reseller_request import CreateResellerRequest
from .create_template_request import CreateTemplateRequest
from .create_template_request_graph import CreateTemplateRequestGraph
from .create_template_request_inputs import CreateTemplateRequestInputs
from .create_tenant_request import CreateTenantRequest
from .create_transcription_response_200 import CreateTranscriptionResponse200
from .create_translation_engine_request import CreateTranslationEngineRequest
from .create_translation_response_200 import CreateTranslationResponse200
from .create_user_request import CreateUserRequest
from .create_webhook_request import CreateWebhookRequest
from .create_workflow_request import CreateWorkflowRequest
from .create_workflow_request_graph import CreateWorkflowRequestGraph
from .created_api_key_view import CreatedApiKeyView
from .created_invitation_view import CreatedInvitationView
from .created_webhook_view import CreatedWebhookView
from .credential_list import CredentialList
from .credential_use_view import CredentialUseView
from .credential_view import CredentialView
from .customer_counts import CustomerCounts
from .data_export_list import DataExportList
from .data_export_view import DataExportView
from .delivery_list import DeliveryList
from .delivery_view import DeliveryView
from .engine_kind import EngineKind
from .engine_languages_view import EngineLanguagesView
from .entitlement_mapping import EntitlementMapping
from .export_kind import ExportKind
from .export_status import ExportStatus
from .field_error import FieldError
from .file_list import FileList
from .file_upload_form import FileUploadForm
from .file_view import FileView
from .graph import Graph
from .graph_edge import GraphEdge
from .graph_input import GraphInput
from .graph_node import GraphNode
from .graph_node_params import GraphNodeParams
from .graph_validation import GraphValidation
from .grouping import Grouping
from .health_view import HealthView
from .instantiate_template_request import InstantiateTemplateRequest
from .invitation_list import InvitationList
from .invitation_view import InvitationView
from .invite_request import InviteRequest
from .invoice_line_view import InvoiceLineView
from .invoice_list import InvoiceList
from .invoice_summary_view import InvoiceSummaryView
from .invoice_view import InvoiceView
from .job_event_list import JobEventList
from .job_event_view import JobEventView
from .job_event_view_data import JobEventViewData
from .job_list import JobList
from .job_list_item import JobListItem
from .job_node_view import JobNodeView
from .job_state import JobState
from .job_summary import JobSummary
from .job_view import JobView
from .language_pair_view import LanguagePairView
from .login_request import LoginRequest
from .me_view import MeView
from .member_list import MemberList
from .member_view import MemberView
from .my_tenant_list import MyTenantList
from .my_tenant_view import MyTenantView
from .node_list import NodeList
from .node_manifest_view import NodeManifestView
from .node_manifest_view_params_schema import NodeManifestViewParamsSchema
from .open_ai_error_body import OpenAiErrorBody
from .open_ai_error_detail import OpenAiErrorDetail
from .open_ai_model import OpenAiModel
from .open_ai_model_list import OpenAiModelList
from .password_reset_confirm import PasswordResetConfirm
from .password_reset_request import PasswordResetRequest
from .period import Period
from .period_revenue import PeriodRevenue
from .plan import Plan
from .plan_features import PlanFeatures
from .plan_list import PlanList
from .plan_view import PlanView
from .port_view import PortView
from .preset_list import PresetList
from .preset_owner import PresetOwner
from .preset_ref import PresetRef
from .preset_share_mode import PresetShareMode
from .preset_sharing_request import PresetSharingRequest
from .preset_sharing_view import PresetSharingView
from .preset_view import PresetView
from .preset_view_params import PresetViewParams
from .problem import Problem
from .processing_quota import ProcessingQuota
from .product_mapping import ProductMapping
from .provider import Provider
from .publish_template_request import PublishTemplateRequest
from .put_revenue_cat_config import PutRevenueCatConfig
from .quota_view import QuotaView
from .ready_view import ReadyView
from .refresh_request import RefreshRequest
from .report_scope import ReportScope
from .reseller_dashboard import ResellerDashboard
from .reseller_list import ResellerList
from .reseller_view import ResellerView
from .resolved_branding_view import ResolvedBrandingView
from .revenue_cat_config_view import RevenueCatConfigView
from .revenue_cat_event_list import RevenueCatEventList
from .revenue_cat_event_view import RevenueCatEventView
from .revenue_cat_subscription_view import RevenueCatSubscriptionView
from .revenue_cat_webhook_ack import RevenueCatWebhookAck
from .revenue_cat_webhook_body import RevenueCatWebhookBody
from .revenue_cat_webhook_body_event import RevenueCatWebhookBodyEvent
from .revenue_view import RevenueView
from .role import Role
from .share_mode import ShareMode
from .sharing_request import SharingRequest
from .sharing_view import SharingView
from .signup_request import SignupRequest
from .signup_view import SignupView
from .statement_list import StatementList
from .statement_summary_view import StatementSummaryView
from .statement_view import StatementView
from .storage_quota import StorageQuota
from .subscription_status_view import SubscriptionStatusView
from .switch_tenant_request import SwitchTenantRequest
from .template_list import TemplateList
from .template_status import TemplateStatus
from .template_version_list import TemplateVersionList
from .template_version_view import TemplateVersionView
from .template_version_view_inputs import TemplateVersionViewInputs
from .template_view import TemplateView
from .template_view_inputs_type_0 import TemplateViewInputsType0
from .tenant_list import TenantList
from .tenant_quota import TenantQuota
from .tenant_revenue import TenantRevenue
from .tenant_role import TenantRole
from .tenant_view import TenantView
from .timestamp_granularity import TimestampGranularity
from .token_response import TokenResponse
from .top_tenant import TopTenant
from .transcription_form import TranscriptionForm
from .translation_engine_list import TranslationEngineList
from .translation_engine_view import TranslationEngineView
from .upcoming_invoice_view import UpcomingInvoiceView
from .upcoming_invoices import UpcomingInvoices
from .update_branding_request import UpdateBrandingRequest
from .update_credential_request import UpdateCredentialRequest
from .update_member_request import UpdateMemberRequest
from .update_plan_request import UpdatePlanRequest
from .update_preset_request import UpdatePresetRequest
from .update_preset_request_params_type_0 import UpdatePresetRequestParamsType0
from .update_reseller_request import UpdateResellerRequest
from .update_template_request import UpdateTemplateRequest
from .update_template_request_graph_type_0 import UpdateTemplateRequestGraphType0
from .update_template_request_inputs_type_0 import UpdateTemplateRequestInputsType0
from .update_tenant_request import UpdateTenantRequest
from .update_translation_engine_request import UpdateTranslationEngineRequest
from .update_user_request import UpdateUserRequest
from .update_workflow_request import UpdateWorkflowRequest
from .update_workflow_request_graph_type_0 import UpdateWorkflowRequestGraphType0
from .upgrade_workflow_request import UpgradeWorkflowRequest
from .usage_item import UsageItem
from .usage_report import UsageReport
from .usage_total import UsageTotal
from .user_list import UserList
from .user_view import UserView
from .validate_graph_body import ValidateGraphBody
from .verify_email_request import VerifyEmailRequest
from .webhook_event import WebhookEvent
from .webhook_list import WebhookList
from .webhook_view import WebhookView
from .workflow_list import WorkflowList
from .workflow_version_list import WorkflowVersionList
from .workflow_version_view import WorkflowVersionView
from .workflow_view import WorkflowView

__all__ = (
    "Accepted",
    "AcceptedInvitationView",
    "AcceptInvitationRequest",
    "Action",
    "AddMemberRequest",
    "ApiKeyList",
    "ApiKeyView",
    "AppUserMapping",
    "ArtifactView",
    "AuditEntryView",
    "AuditEntryViewDetails",
    "AuditLogList",
    "Availability",
    "AvailabilityReason",
    "BillingPeriodList",
    "BillingPeriodView",
    "BrandingAssetForm",
    "BrandingAssetKind",
    "BrandingAssetView",
    "BrandingColorSources",
    "BrandingColorsRequest",
    "BrandingColorsView",
    "BrandingConfigurationList",
    "BrandingConfigurationView",
    "BrandingLevel",
    "BrandingResolvedColors",
    "BrandingSource",
    "BrandingSources",
    "BrandingWarning",
    "ChangePasswordRequest",
    "ClosePeriodRequest",
    "CreateApiKeyRequest",
    "CreateBrandingRequest",
    "CreateCredentialRequest",
    "CreatedApiKeyView",
    "CreatedInvitationView",
    "CreatedWebhookView",
    "CreateJobRequest",
    "CreateJobRequestGraphType0",
    "CreateJobRequestInputs",
    "CreatePlanRequest",
    "CreatePresetRequest",
    "CreatePresetRequestParams",
    "CreateResellerRequest",
    "CreateTemplateRequest",
    "CreateTemplateRequestGraph",
    "CreateTemplateRequestInputs",
    "CreateTenantRequest",
    "CreateTranscriptionResponse200",
    "CreateTranslationEngineRequest",
    "CreateTranslationResponse200",
    "CreateUserRequest",
    "CreateWebhookRequest",
    "CreateWorkflowRequest",
    "CreateWorkflowRequestGraph",
    "CredentialList",
    "CredentialUseView",
    "CredentialView",
    "CustomerCounts",
    "DataExportList",
    "DataExportView",
    "DeliveryList",
    "DeliveryView",
    "EngineKind",
    "EngineLanguagesView",
    "EntitlementMapping",
    "ExportKind",
    "ExportStatus",
    "FieldError",
    "FileList",
    "FileUploadForm",
    "FileView",
    "Graph",
    "GraphEdge",
    "GraphInput",
    "GraphNode",
    "GraphNodeParams",
    "GraphValidation",
    "Grouping",
    "HealthView",
    "InstantiateTemplateRequest",
    "InvitationList",
    "InvitationView",
    "InviteRequest",
    "InvoiceLineView",
    "InvoiceList",
    "InvoiceSummaryView",
    "InvoiceView",
    "JobEventList",
    "JobEventView",
    "JobEventViewData",
    "JobList",
    "JobListItem",
    "JobNodeView",
    "JobState",
    "JobSummary",
    "JobView",
    "LanguagePairView",
    "LoginRequest",
    "MemberList",
    "MemberView",
    "MeView",
    "MyTenantList",
    "MyTenantView",
    "NodeList",
    "NodeManifestView",
    "NodeManifestViewParamsSchema",
    "OpenAiErrorBody",
    "OpenAiErrorDetail",
    "OpenAiModel",
    "OpenAiModelList",
    "PasswordResetConfirm",
    "PasswordResetRequest",
    "Period",
    "PeriodRevenue",
    "Plan",
    "PlanFeatures",
    "PlanList",
    "PlanView",
    "PortView",
    "PresetList",
    "PresetOwner",
    "PresetRef",
    "PresetShareMode",
    "PresetSharingRequest",
    "PresetSharingView",
    "PresetView",
    "PresetViewParams",
    "Problem",
    "ProcessingQuota",
    "ProductMapping",
    "Provider",
    "PublishTemplateRequest",
    "PutRevenueCatConfig",
    "QuotaView",
    "ReadyView",
    "RefreshRequest",
    "ReportScope",
    "ResellerDashboard",
    "ResellerList",
    "ResellerView",
    "ResolvedBrandingView",
    "RevenueCatConfigView",
    "RevenueCatEventList",
    "RevenueCatEventView",
    "RevenueCatSubscriptionView",
    "RevenueCatWebhookAck",
    "RevenueCatWebhookBody",
    "RevenueCatWebhookBodyEvent",
    "RevenueView",
    "Role",
    "ShareMode",
    "SharingRequest",
    "SharingView",
    "SignupRequest",
    "SignupView",
    "StatementList",
    "StatementSummaryView",
    "StatementView",
    "StorageQuota",
    "SubscriptionStatusView",
    "SwitchTenantRequest",
    "TemplateList",
    "TemplateStatus",
    "TemplateVersionList",
    "TemplateVersionView",
    "TemplateVersionViewInputs",
    "TemplateView",
    "TemplateViewInputsType0",
    "TenantList",
    "TenantQuota",
    "TenantRevenue",
    "TenantRole",
    "TenantView",
    "TimestampGranularity",
    "TokenResponse",
    "TopTenant",
    "TranscriptionForm",
    "TranslationEngineList",
    "TranslationEngineView",
    "UpcomingInvoices",
    "UpcomingInvoiceView",
    "UpdateBrandingRequest",
    "UpdateCredentialRequest",
    "UpdateMemberRequest",
    "UpdatePlanRequest",
    "UpdatePresetRequest",
    "UpdatePresetRequestParamsType0",
    "UpdateResellerRequest",
    "UpdateTemplateRequest",
    "UpdateTemplateRequestGraphType0",
    "UpdateTemplateRequestInputsType0",
    "UpdateTenantRequest",
    "UpdateTranslationEngineRequest",
    "UpdateUserRequest",
    "UpdateWorkflowRequest",
    "UpdateWorkflowRequestGraphType0",
    "UpgradeWorkflowRequest",
    "UsageItem",
    "UsageReport",
    "UsageTotal",
    "UserList",
    "UserView",
    "ValidateGraphBody",
    "VerifyEmailRequest",
    "WebhookEvent",
    "WebhookList",
    "WebhookView",
    "WorkflowList",
    "WorkflowVersionList",
    "WorkflowVersionView",
    "WorkflowView",
)
