/// The domain: configuration values, prediction and label events, drift evaluation over columns, window and
/// reference profiles, the figures a window stores, alert rules and the retraining policy.
package enum DriftCore {}
