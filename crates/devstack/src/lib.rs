//! Offline twins of Google, S3, the Lambda Runtime API and Alexa account linking.
