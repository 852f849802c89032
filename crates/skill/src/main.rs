//! The Alexa skill's AWS Lambda function.

fn main() {}
