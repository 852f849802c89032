//! The DNS record that validates the login page's ACM certificate, read from the stack event in
//! which CloudFormation reports it, so the deploy can tell the developer what to create.

use super::StackEvent;

/// What CloudFormation writes in the certificate's `CREATE_IN_PROGRESS` event when no hosted zone
/// validates it: "Content of DNS Record is: {Name: …,Type: CNAME,Value: …}".
const RECORD_MARKER: &str = "Content of DNS Record is:";

/// The CNAME to create, `(name, value)`, when `event` is the certificate's validation event.
pub fn validation_record(event: &StackEvent) -> Option<(String, String)> {
    if event.resource_type != "AWS::CertificateManager::Certificate" {
        return None;
    }
    let record = event.reason.as_deref()?.split_once(RECORD_MARKER)?.1;
    let record = record.trim().trim_start_matches('{').trim_end_matches('}');
    let mut name = None;
    let mut value = None;
    for field in record.split(',') {
        match field.split_once(':') {
            Some((key, text)) if key.trim() == "Name" => name = Some(text.trim().to_owned()),
            Some((key, text)) if key.trim() == "Value" => value = Some(text.trim().to_owned()),
            _ => {}
        }
    }
    Some((name?, value?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(resource_type: &str, reason: &str) -> StackEvent {
        StackEvent {
            timestamp: "2026-12-08T01:00:00Z".to_owned(),
            logical_resource_id: "LoginPageCertificate".to_owned(),
            resource_type: resource_type.to_owned(),
            status: "CREATE_IN_PROGRESS".to_owned(),
            reason: Some(reason.to_owned()),
        }
    }

    #[test]
    fn the_cname_is_read_from_the_certificate_event() {
        let reason = "Content of DNS Record is: {Name: _3a1b.login.example.com.,Type: CNAME,\
                      Value: _9c2d.mhbtsbpdnt.acm-validations.aws.}";
        assert_eq!(
            validation_record(&event("AWS::CertificateManager::Certificate", reason)),
            Some((
                "_3a1b.login.example.com.".to_owned(),
                "_9c2d.mhbtsbpdnt.acm-validations.aws.".to_owned()
            ))
        );
        assert_eq!(
            validation_record(&event("AWS::Lambda::Function", reason)),
            None
        );
        assert_eq!(
            validation_record(&event(
                "AWS::CertificateManager::Certificate",
                "Resource creation Initiated"
            )),
            None
        );
    }
}
