"""Our own short doc comments for the generated headers.

Requests and responses get a generated line naming their operation; the
entries here cover the other structures, the enums and the members whose
name does not say enough. Written for this project: nothing here is copied
from the service model's documentation.
"""

SHAPES = {
    "AccessDeniedException": "The caller may not perform the operation (HTTP 403).",
    "ConflictException": "The request conflicts with the resource's current state or with another resource (HTTP 409).",
    "ResourceNotFoundException": "The ARN names no existing resource (HTTP 404).",
    "ServiceQuotaExceededException": "An account quota would be exceeded (HTTP 402).",
    "ValidationException": "The service rejected the request's values (HTTP 400).",
    "AudienceDestination": "Where a configured audience model writes generated audiences.",
    "AudienceExportJobSummary": "One audience export job, as listed.",
    "AudienceGenerationJobDataSource": "The seed audience of a generation job and the role that reads it.",
    "AudienceGenerationJobSummary": "One audience generation job, as listed.",
    "AudienceModelSummary": "One audience model, as listed.",
    "AudienceQualityMetrics": "How well a generated audience matches its seed.",
    "AudienceSize": "An audience size: an absolute count or a percentage.",
    "AudienceSizeConfig": "The audience sizes a configured audience model may produce.",
    "ColumnSchema": "One column of a training dataset and the roles it plays.",
    "ConfiguredAudienceModelOutputConfig": "The output location and role of a configured audience model.",
    "ConfiguredAudienceModelSummary": "One configured audience model, as listed.",
    "DataSource": "Where training data is read from.",
    "Dataset": "One dataset of a training dataset: its kind and input.",
    "DatasetInputConfig": "The source and column layout of a dataset.",
    "GlueDataSource": "An AWS Glue table holding training data.",
    "RelevanceMetric": "The relevance score of one audience size bin.",
    "S3ConfigMap": "An Amazon S3 location.",
    "StatusDetails": "Why a resource is in its current status (set on failures).",
    "TrainingDatasetSummary": "One training dataset, as listed.",
}

ENUMS = {
    "AudienceExportJobStatus": "Lifecycle state of an audience export job.",
    "AudienceGenerationJobStatus": "Lifecycle state of an audience generation job.",
    "AudienceModelStatus": "Lifecycle state of an audience model.",
    "AudienceSizeType": "Whether an audience size is a count or a percentage.",
    "ColumnType": "The role a column plays in training data.",
    "ConfiguredAudienceModelStatus": "State of a configured audience model.",
    "DatasetType": "The kind of data a dataset holds.",
    "PolicyExistenceCondition": "Precondition on an existing policy when a policy is written.",
    "SharedAudienceMetrics": "Which metrics are shared with the generation job's caller.",
    "TagOnCreatePolicy": "Whether resources created from this one inherit its tags.",
    "TrainingDatasetStatus": "State of a training dataset.",
}

# "Shape.member" -> comment, only where the name and type are not enough.
MEMBERS = {
    "CreateAudienceModelRequest.trainingDataStartTime": "First timestamp of the training data to use.",
    "CreateAudienceModelRequest.trainingDataEndTime": "Last timestamp of the training data to use.",
    "CreateAudienceModelRequest.kmsKeyArn": "Key that encrypts the model's artifacts.",
    "CreateConfiguredAudienceModelRequest.minMatchingSeedSize": "Smallest seed overlap a generation job needs.",
    "CreateConfiguredAudienceModelRequest.childResourceTagOnCreatePolicy": "Whether generation jobs inherit this resource's tags.",
    "CreateConfiguredAudienceModelRequest.sharedAudienceMetrics": "Metrics shared with callers of generation jobs.",
    "CreateTrainingDatasetRequest.roleArn": "Role the service assumes to read the training data.",
    "GetAudienceGenerationJobResponse.startedBy": "Account that started the job.",
    "GetAudienceGenerationJobResponse.includeSeedInOutput": "Whether the seed audience is part of the output.",
    "GetConfiguredAudienceModelPolicyResponse.policyHash": "Hash of the policy text, for conditional updates.",
    "PutConfiguredAudienceModelPolicyRequest.previousPolicyHash": "Write only if the current policy has this hash.",
    "PutConfiguredAudienceModelPolicyRequest.policyExistenceCondition": "Write only if a policy exists, or only if none does.",
    "StartAudienceGenerationJobRequest.collaborationId": "Clean Rooms collaboration the job runs in.",
    "StartAudienceGenerationJobRequest.includeSeedInOutput": "Whether the seed audience is part of the output.",
    "AudienceExportJobSummary.outputLocation": "S3 location of the exported audience.",
    "GlueDataSource.catalogId": "Account of the Glue Data Catalog; the caller's when absent.",
    "StatusDetails.statusCode": "Machine-readable reason.",
    "AudienceQualityMetrics.recallMetric": "Recall of the seed audience by the model.",
    "RelevanceMetric.score": "Relevance of the bin's audience to the seed.",
}
