export { createTenancyService, presentSite, siteIsOpen, type SiteView, type TenancyService } from './tenancy.service.ts';
export { insertSite, type SiteFields } from './tenancy.repository.ts';
