"""The client's waiters: our own definitions (the service model has none).

A waiter polls an operation until a resource reaches a goal. The statuses
that end a wait are derived from the resource's status enumeration with the
rules below, so that a new status value in a later model lands on the right
side without a hand-written list:

  active   success: ACTIVE
           failure: any *_FAILED, and the states a resource does not come
                    back from to ACTIVE by itself: DELETE_*, CANCEL_*, INACTIVE
  deleted  success: the Get answers ResourceNotFoundException, or INACTIVE
                    where deleting leaves the resource behind without its data
                    (ML input channels after DeleteMLInputChannelData, trained
                    models after DeleteTrainedModelOutput)
           failure: any *_FAILED

At run time a status ending in _FAILED fails any wait even when this model
version does not list it; any other status not listed keeps the waiter polling.
"""

from dataclasses import dataclass


@dataclass
class Waiter:
    resource: str       # snake name: async_wait_until_<resource>_<goal>
    get: str            # the operation polled
    noun: str           # how messages name the resource
    arn_overloads: bool  # also takes the resource's ARN alone (the Get needs nothing else)
    deletable: bool     # has a _deleted waiter


@dataclass
class ListedWaiter:
    """A resource without a Get: found by name in a listing, page after page."""
    resource: str
    listing: str        # the paginated List operation
    item_status: str    # the status member of a listed item
    noun: str
    scope: str          # the List request's member that messages name ("export job X of <scope>")


WAITERS = [
    Waiter("training_dataset", "GetTrainingDataset", "training dataset", True, True),
    Waiter("audience_model", "GetAudienceModel", "audience model", True, True),
    Waiter("configured_audience_model", "GetConfiguredAudienceModel", "configured audience model", True, True),
    Waiter("audience_generation_job", "GetAudienceGenerationJob", "audience generation job", True, True),
    Waiter("ml_input_channel", "GetMLInputChannel", "ML input channel", False, True),
    Waiter("trained_model", "GetTrainedModel", "trained model", False, True),
    Waiter("trained_model_inference_job", "GetTrainedModelInferenceJob", "trained model inference job", False, False),
]

LISTED_WAITERS = [
    ListedWaiter("audience_export_job", "ListAudienceExportJobs", "status", "audience export job",
                 "audienceGenerationJobArn"),
    ListedWaiter("trained_model_export_job", "ListCollaborationTrainedModelExportJobs", "status",
                 "trained model export job", "trainedModelArn"),
]

# Resources that stay, without their data, once "deleted".
INACTIVE_WHEN_DELETED = {"ml_input_channel", "trained_model"}


def active_rules(statuses):
    success = [s for s in statuses if s == "ACTIVE"]
    failure = [s for s in statuses if s.endswith("_FAILED") or s.startswith(("DELETE_", "CANCEL_")) or s == "INACTIVE"]
    return success, failure


def deleted_rules(resource, statuses):
    success = [s for s in statuses if s == "INACTIVE" and resource in INACTIVE_WHEN_DELETED]
    failure = [s for s in statuses if s.endswith("_FAILED")]
    return success, failure
